package io.nmstream.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * How much of the Kafka client's logging a command shows. A command that ends on its own (get, policy apply, wait, ...)
 * reports a cluster it cannot reach, or a topic that is missing, in its one error line; the client's warning on every
 * reconnect attempt (a dozen in five seconds) and on every metadata answer without the topic would bury that line. The
 * services (up, demo, the reconciler, a node agent) keep them: their logs are where an operator looks for a flapping
 * broker. The client's errors (a failed authentication, say) show in both, and so does everything once
 * NMSTREAM_LOG_LEVEL is set (to look into a connection, say).
 */
final class CommandLogging {

    /** The commands that run until stopped, or run services for a walkthrough. */
    private static final Set<String> SERVICES = Set.of("up", "demo", "reconciler", "node");
    /** The Kafka client's logger of connection attempts and metadata answers. */
    static final String KAFKA_NETWORK_CLIENT = "org.apache.kafka.clients.NetworkClient";
    /** The environment variable of the root log level (logback.xml). */
    static final String LOG_LEVEL = "NMSTREAM_LOG_LEVEL";

    private CommandLogging() {
    }

    /** Quiets the client's retry warnings unless {@code args} run a service or the log level was asked for. */
    static void configure(String[] args, Map<String, String> environment) {
        if (!environment.containsKey(LOG_LEVEL) && (args.length == 0 || !SERVICES.contains(args[0]))) {
            if (LoggerFactory.getLogger(KAFKA_NETWORK_CLIENT) instanceof Logger logger) {
                logger.setLevel(Level.ERROR);
            }
        }
    }
}
