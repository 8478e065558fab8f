package io.nmstream.ingest.cli;

import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.config.Config;
import io.nmstream.common.kafka.ClusterListeners;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.ClusterUnreachableException;
import io.nmstream.common.kafka.KafkaConnectionCheck;
import io.nmstream.common.kafka.ReadTimeoutException;
import io.nmstream.ingest.IngestSettings;
import io.nmstream.common.config.ConfigException;
import io.nmstream.ingest.publish.ClusterUnavailableException;
import io.nmstream.ingest.publish.PolicyPublisher;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code policy} subcommand that talks to the cluster: it opens a publisher with the connection flags, runs, and
 * turns unreachable clusters and bad settings into the documented exit codes with a one-line message.
 */
abstract class ClusterCommand implements Callable<Integer> {

    /** Identifies this client in broker logs and in the events' audit metadata. */
    static final String CLIENT = "nmstream-policy-cli";
    private static final Duration REFUSAL_CHECK_TIMEOUT = Duration.ofSeconds(5);

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "How long to wait for Kafka and the registry (e.g. 15s).")
    String timeout;

    @Spec
    CommandSpec spec;

    /** Runs the command against the cluster; returns the exit code. */
    abstract int run(PolicyPublisher publisher);

    /** Checks the arguments before any connection is made; returns an exit code to stop with, or null to go on. */
    Integer before() {
        return null;
    }

    /**
     * The exit code of a command that stopped before it could do its work, given the documented one ({@link
     * ExitCodes#INVALID_INPUT} or {@link ExitCodes#UNAVAILABLE}); a command whose successful exit codes already mean
     * something else maps them.
     */
    int failure(int exitCode) {
        return exitCode;
    }

    @Override
    public final Integer call() {
        Integer early = before();
        if (early != null) {
            return failure(early);
        }
        try (PolicyPublisher publisher = publisher()) {
            return run(publisher);
        } catch (ClusterUnreachableException e) {
            err().println("error: " + e.getMessage());
            return failure(ExitCodes.UNAVAILABLE);
        } catch (ClusterUnavailableException e) {
            try {
                // a broker that refuses these settings looks unreachable from the publisher: say which setting it refused
                KafkaConnectionCheck.requireAnswer(new ClusterSettings(cluster.config()), REFUSAL_CHECK_TIMEOUT);
            } catch (ConfigException refused) {
                err().println("error: " + refused.getMessage());
                return failure(ExitCodes.INVALID_INPUT);
            } catch (ClusterUnreachableException silent) {
                err().println("error: " + e.getMessage());
                return failure(ExitCodes.UNAVAILABLE);
            }
            // it answers: what ran out was the time the command had
            err().println("error: " + e.timedOut().map(ReadTimeoutException::advice).orElse(e.getMessage()));
            return failure(ExitCodes.UNAVAILABLE);
        } catch (ConfigException e) {
            err().println("error: " + e.getMessage());
            return failure(ExitCodes.INVALID_INPUT);
        }
    }

    /**
     * A publisher connected to the cluster the flags point at; fails at once when nothing listens there, before the
     * publisher would retry for its whole timeout.
     */
    private PolicyPublisher publisher() {
        Config config = cluster.config();
        if (timeout != null) {
            config = config.with(IngestSettings.KAFKA_TIMEOUT.name(), timeout);
        }
        ClusterSettings settings = new ClusterSettings(config);
        ClusterListeners.require(settings);
        return PolicyPublisher.connect(settings, config.get(IngestSettings.KAFKA_TIMEOUT), CLIENT);
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    static String user() {
        return System.getProperty("user.name", "unknown");
    }
}
