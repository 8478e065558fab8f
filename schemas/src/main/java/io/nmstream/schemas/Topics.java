package io.nmstream.schemas;

import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeIdentity;
import io.nmstream.schemas.avro.NodeNetworkState;
import io.nmstream.schemas.avro.PolicyEvent;
import io.nmstream.schemas.avro.ResourceStatus;
import io.nmstream.schemas.avro.RolloutEvent;
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
 *
 * <p>Two topics are the reconciler's own ({@link #slotRequests()}, {@link #slotLeases()}): how its node partitions and
 * its per-policy rollout coordinators share out maxUnavailable. They are declared here so that one bootstrapper creates
 * every topic, but no other service reads them; their values are the reconciler's internal JSON, not registered Avro.
 */
public final class Topics {

    /** Default retention of the enactment audit log: one year. */
    public static final Duration DEFAULT_ENACTMENT_RETENTION = Duration.ofDays(365);
    /** Default retention of commands: seven days. */
    public static final Duration DEFAULT_COMMAND_RETENTION = Duration.ofDays(7);
    /**
     * Retention of the reconciler's slot protocol: its state is in its changelogs, so a message only matters until it is
     * read; a day covers a reconciler that was down for a long while.
     */
    public static final Duration SLOT_PROTOCOL_RETENTION = Duration.ofDays(1);

    private final Topic<String, PolicyEvent> policies;
    private final Topic<String, NodeEvent> nodes;
    private final Topic<String, NodeNetworkState> nodeStates;
    private final Topic<String, NodeIdentity> nodeIdentities;
    private final Topic<String, DesiredStateCommand> commands;
    private final Topic<String, EnactmentEvent> enactments;
    private final Topic<String, ResourceStatus> status;
    private final Topic<String, RolloutEvent> rollouts;
    private final Topic<String, byte[]> slotRequests;
    private final Topic<String, byte[]> slotLeases;
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
        nodeIdentities = new Topic<>(namespace + ".node-identities", keys, AvroSerde.forValues(NodeIdentity.class, registry), compacted);
        status = new Topic<>(namespace + ".status", keys, AvroSerde.forValues(ResourceStatus.class, registry), compacted);
        commands = new Topic<>(namespace + ".commands", keys, AvroSerde.forValues(DesiredStateCommand.class, registry),
            TopicSettings.retained(partitions, replicationFactor, DEFAULT_COMMAND_RETENTION.toMillis()));
        enactments = new Topic<>(namespace + ".enactments", keys, AvroSerde.forValues(EnactmentEvent.class, registry),
            TopicSettings.retained(partitions, replicationFactor, enactmentRetention.toMillis()));
        rollouts = new Topic<>(namespace + ".rollouts", keys, AvroSerde.forValues(RolloutEvent.class, registry), compacted);
        TopicSettings slotProtocol = TopicSettings.retained(partitions, replicationFactor, SLOT_PROTOCOL_RETENTION.toMillis());
        slotRequests = new Topic<>(namespace + ".rollout-slot-requests", keys, Serdes.ByteArray(), slotProtocol);
        slotLeases = new Topic<>(namespace + ".rollout-slot-leases", keys, Serdes.ByteArray(), slotProtocol);
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

    /**
     * Operators' re-keys of nodes, keyed by node name: each adds a public key the node may sign with. Only operators
     * write it (see {@code nmstream acls}); nodes introduce their first key themselves, in their registration.
     */
    public Topic<String, NodeIdentity> nodeIdentities() {
        return nodeIdentities;
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

    /**
     * What the reconciler matched for each policy generation (matching nodes, maxUnavailable in nodes), keyed by policy
     * name: how status shows a rollout from its first moment, before any node has started.
     */
    public Topic<String, RolloutEvent> rollouts() {
        return rollouts;
    }

    /**
     * The reconciler's internal slot requests: each node partition's share of a policy's rollout (matching, waiting and
     * failed nodes, slots used and returned), keyed by policy name, to the policy's rollout coordinator. Values are the
     * reconciler's JSON; give {@link Topic#withValueSerde} the type it reads them as.
     */
    public Topic<String, byte[]> slotRequests() {
        return slotRequests;
    }

    /**
     * The reconciler's internal slot leases: a rollout coordinator's answer to one node partition (slots leased to it so
     * far, whether the limit is reached, whether the rollout is aborted), keyed by policy name and written to that
     * partition. Values are the reconciler's JSON.
     */
    public Topic<String, byte[]> slotLeases() {
        return slotLeases;
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
        return List.of(policies, nodes, nodeStates, nodeIdentities, commands, enactments, status, rollouts, slotRequests, slotLeases,
            deadLetters);
    }

    /**
     * The transactional id every publisher of this namespace's policies shares (CLI runs, HTTP and Kubernetes replicas),
     * so that Kafka admits one writer at a time.
     */
    public String policyPublisherTransactionalId() {
        return policies.name() + ".publisher";
    }

    /** The prefix of every node agent's consumer group in this namespace: {@link #nodeAgentGroup} adds the node. */
    public String nodeAgentGroupPrefix() {
        return namespace + ".node-agent.";
    }

    /** The consumer group a node agent commits its read position in: one per node. */
    public String nodeAgentGroup(String node) {
        return nodeAgentGroupPrefix() + node;
    }

    /** The consumer group of a simulated fleet that keeps its state across restarts. */
    public String simulatedFleetGroup() {
        return namespace + ".simulated-fleet";
    }

    /** The enactment key of a node and policy, which is also the NNCE name. */
    public static String enactmentKey(String node, String policy) {
        return node + "." + policy;
    }
}
