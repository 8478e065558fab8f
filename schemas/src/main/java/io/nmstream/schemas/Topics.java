package io.nmstream.schemas;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.registry.SchemaRegistryClient;
import io.nmstream.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place where nmstream's topics are declared: names, key and value serdes, and settings.
 *
 * <p>Policies, nodes, node states and status are compacted (the latest record per key is the state); commands and
 * enactments are retained by time (enactments are the audit log, kept long). Keys are plain UTF-8 strings, so any
 * client can partition and read them.
 */
public final class Topics {

    /** Default retention of the enactment audit log: one year. */
    public static final Duration DEFAULT_ENACTMENT_RETENTION = Duration.ofDays(365);
    /** Default retention of commands: seven days. */
    public static final Duration DEFAULT_COMMAND_RETENTION = Duration.ofDays(7);

    private final Topic<String, PolicyEvent> policies;
    private final Topic<String, NodeEvent> nodes;
    private final Topic<String, NodeNetworkState> nodeStates;
    private final Topic<String, DesiredStateCommand> commands;
    private final Topic<String, EnactmentEvent> enactments;
    private final Topic<String, ResourceStatus> status;
    private final Topic<byte[], byte[]> deadLetters;
    private final Topic<String, String> registrySchemas;

    /** Default namespace: the prefix of every topic name. */
    public static final String DEFAULT_NAMESPACE = "nmstream";

    private final String namespace;

    /**
     * @param registry the schema registry the value serdes register with and fetch from
     * @param namespace prefix of every topic name, so that several fleets (or tests) can share one cluster
     * @param partitions partitions of every topic (node-keyed topics spread nodes over them)
     * @param replicationFactor replication factor of every topic
     * @param enactmentRetention how long the audit log is kept
     */
    public Topics(SchemaRegistryClient registry, String namespace, int partitions, short replicationFactor, Duration enactmentRetention) {
        this.namespace = requireValidNamespace(namespace);
        Serde<String> keys = Serdes.String();
        TopicSettings compacted = TopicSettings.compacted(partitions, replicationFactor);
        policies = new Topic<>(namespace + ".policies", keys, AvroSerde.forValues(PolicyEvent.class, registry), compacted);
        nodes = new Topic<>(namespace + ".nodes", keys, AvroSerde.forValues(NodeEvent.class, registry), compacted);
        nodeStates = new Topic<>(namespace + ".node-states", keys, AvroSerde.forValues(NodeNetworkState.class, registry), compacted);
        status = new Topic<>(namespace + ".status", keys, AvroSerde.forValues(ResourceStatus.class, registry), compacted);
        commands = new Topic<>(namespace + ".commands", keys, AvroSerde.forValues(DesiredStateCommand.class, registry),
            TopicSettings.retained(partitions, replicationFactor, DEFAULT_COMMAND_RETENTION.toMillis()));
        enactments = new Topic<>(namespace + ".enactments", keys, AvroSerde.forValues(EnactmentEvent.class, registry),
            TopicSettings.retained(partitions, replicationFactor, enactmentRetention.toMillis()));
        deadLetters = new Topic<>(namespace + ".dead-letters", Serdes.ByteArray(), Serdes.ByteArray(),
            TopicSettings.retained(partitions, replicationFactor, DEFAULT_ENACTMENT_RETENTION.toMillis()));
        registrySchemas = registrySchemasIn(namespace, replicationFactor);
    }

    /** Topics with the given registry, 6 partitions, replication 1 and the default retentions. */
    public static Topics withDefaults(SchemaRegistryClient registry) {
        return new Topics(registry, DEFAULT_NAMESPACE, 6, (short) 1, DEFAULT_ENACTMENT_RETENTION);
    }

    /** The prefix of every topic name. */
    public String namespace() {
        return namespace;
    }

    /** NNCP upserts and deletes, keyed by policy name. */
    public Topic<String, PolicyEvent> policies() {
        return policies;
    }

    /** Node inventory, keyed by node name. */
    public Topic<String, NodeEvent> nodes() {
        return nodes;
    }

    /** Each node's current network state, keyed by node name. */
    public Topic<String, NodeNetworkState> nodeStates() {
        return nodeStates;
    }

    /** Per-node desired-state commands, keyed by node name. */
    public Topic<String, DesiredStateCommand> commands() {
        return commands;
    }

    /** Enactment events (the audit log), keyed by {@code <node>.<policy>}. */
    public Topic<String, EnactmentEvent> enactments() {
        return enactments;
    }

    /** Projected NNCP/NNCE/NNS status, keyed by {@code <kind>/<name>}. */
    public Topic<String, ResourceStatus> status() {
        return status;
    }

    /** Records that could not be processed, as their original bytes with the reason in headers. */
    public Topic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    /**
     * The embedded schema registry's storage: one record per subject version and per compatibility setting, in
     * Confluent Schema Registry's own {@code _schemas} layout (JSON keys and values). Not in {@link #all()}: only the
     * embedded registry creates and writes it, and a deployment on an external registry never uses it.
     */
    public Topic<String, String> registrySchemas() {
        return registrySchemas;
    }

    /**
     * The registry's storage topic of a namespace, for starting the embedded registry before any registry client (and
     * so any {@code Topics}) can exist. One partition, so that schema ids are handed out in one order; compacted, so that
     * the latest record per subject version is kept forever.
     */
    public static Topic<String, String> registrySchemasIn(String namespace, short replicationFactor) {
        return new Topic<>(requireValidNamespace(namespace) + "._schemas", Serdes.String(), Serdes.String(),
            TopicSettings.compacted(1, replicationFactor));
    }

    private static String requireValidNamespace(String namespace) {
        if (!namespace.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("Topic namespace '" + namespace + "' may hold only letters, digits, '.', '_' and '-'");
        }
        return namespace;
    }

    /** Every topic, for the bootstrapper. */
    public List<Topic<?, ?>> all() {
        return List.of(policies, nodes, nodeStates, commands, enactments, status, deadLetters);
    }

    /** The enactment key of a node and policy, which is also the NNCE name. */
    public static String enactmentKey(String node, String policy) {
        return node + "." + policy;
    }
}
