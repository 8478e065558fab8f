package io.nmstream.executor.cli;

import io.nmstream.common.cli.ClusterOptions;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.NodeIdentity;
import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.contract.EventContract;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream node rekey NODE --public-key KEY}: an operator lets a node sign with another key (a reinstalled host
 * that lost its own). A node's first registration sets its key; after that, only this command adds one, on the
 * node-identities topic that only operators may write. Keys are added, never replaced: what the node signed before stays
 * valid, so that a replay reads the same history.
 */
@Command(name = "rekey", mixinStandardHelpOptions = true,
    description = "Let a node sign with another public key (an operator's command; the node-identities topic).")
public final class RekeyCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster;

    @Parameters(index = "0", paramLabel = "NODE", description = "The node's name.")
    String node;

    @Option(names = "--public-key", required = true, paramLabel = "KEY",
        description = "The key the node now signs with: what 'nmstream node key' prints on the host.")
    String publicKey;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "", description = "Why, for the audit.")
    String reason;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        NodeIdentity identity = NodeIdentity.newBuilder().setNode(node).setPublicKey(publicKey.strip())
            .setOperator(System.getProperty("user.name", "unknown")).setReason(reason).setTimestamp(Instant.now()).build();
        try {
            EventContract.checkIdentity(node, identity);
        } catch (ContractViolation e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
        try {
            ClusterSettings settings = cluster.cluster();
            Topics topics = cluster.topics(settings);
            try (KafkaProducer<String, NodeIdentity> producer = KafkaClients.producer(settings.clientProperties(), topics.nodeIdentities(),
                "nmstream-node-rekey")) {
                producer.send(new ProducerRecord<>(topics.nodeIdentities().name(), node, identity)).get(60, TimeUnit.SECONDS);
            }
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            spec.commandLine().getErr().println("error: cannot publish the re-key: " + cause.getMessage());
            return 2;
        }
        spec.commandLine().getOut().println("node/" + node + " may now sign with " + identity.getPublicKey());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
