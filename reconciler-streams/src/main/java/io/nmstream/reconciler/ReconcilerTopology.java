package io.nmstream.reconciler;

import io.nmstream.reconciler.node.NodeInput;
import io.nmstream.reconciler.node.NodeOutput;
import io.nmstream.reconciler.node.NodeReconciler;
import io.nmstream.reconciler.node.NodeState;
import io.nmstream.reconciler.node.PartitionRollout;
import io.nmstream.reconciler.rollout.CoordinatorInput;
import io.nmstream.reconciler.rollout.CoordinatorOutput;
import io.nmstream.reconciler.rollout.RolloutCoordinator;
import io.nmstream.reconciler.rollout.RolloutState;
import io.nmstream.reconciler.rollout.SlotContract;
import io.nmstream.reconciler.rollout.SlotLease;
import io.nmstream.reconciler.rollout.SlotRequest;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.EnactmentEvent;
import io.nmstream.schemas.avro.NodeEvent;
import io.nmstream.schemas.avro.NodeIdentity;
import io.nmstream.schemas.avro.RolloutEvent;
import io.nmstream.schemas.contract.EventContract;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The reconciler's topology, as a pure function of a builder, the topic catalogue and the configuration.
 *
 * <pre>
 *  policies ──validate──┬─ broadcast to every partition ───────────────────────────────────┐
 *                       └─ by policy ──┐                                                   │
 *  rollout-slot-requests (by policy) ──┴─▶ rollout-coordinator (per policy) ─┬─▶ rollouts  │
 *                ▲                                                           └─▶ rollout-slot-leases (to each partition)
 *                │                                                                         │
 *  enactments ── agent results, by node ──────────────────────────────────────────────────┤
 *  nodes ─────────────────────────────────────────────────────────────────────────────────┴─▶ node-reconciler (per node)
 *                └───────────────────────────────────────────────────────────── slot requests ─┤
 *                                                                                  ├─▶ commands (by node)
 *                                                                                  └─▶ enactments (by node.policy)
 * </pre>
 *
 * <p>The slot protocol between node partitions and coordinators goes through the reconciler's own two topics, the
 * loop Kafka Streams cannot have inside one topology; the enactments topic only carries what happened to nodes. Every
 * processor, store and repartition topic is named. All node-keyed inputs of the node reconciler have the partition
 * count of the catalogue, so a node's inventory, results and its partition's leases meet in the same task.
 */
public final class ReconcilerTopology {

    private ReconcilerTopology() {
    }

    /** Name of the repartition that brings agents' reports from the enactments topic to the node reconciler. */
    public static final String REPORTS_BY_NODE = "results-by-node";

    /**
     * Adds the reconciler to {@code builder}; command deadlines are judged against the wall clock alone, as when every
     * result is read as soon as it is published (a {@code TopologyTestDriver}).
     */
    public static void build(StreamsBuilder builder, Topics topics, ReconcilerConfig config) {
        build(builder, topics, config, () -> Long.MAX_VALUE);
    }

    /**
     * Adds the reconciler to {@code builder}.
     *
     * @param resultsReadUpTo every result published before this time (epoch milliseconds) has been processed; a command
     *     is failed for a Timeout only once both the wall clock and this have passed its deadline ({@link ResultsReadUpTo})
     */
    public static void build(StreamsBuilder builder, Topics topics, ReconcilerConfig config, LongSupplier resultsReadUpTo) {
        build(builder, topics, config.commandTimeout(), config.deadlineCheckInterval(), resultsReadUpTo);
    }

    /** Adds the reconciler to {@code builder}, with explicit command timeout and deadline check interval. */
    public static void build(StreamsBuilder builder, Topics topics, Duration commandTimeout, Duration deadlineCheckInterval) {
        build(builder, topics, commandTimeout, deadlineCheckInterval, () -> Long.MAX_VALUE);
    }

    /** The Kafka Streams topic of the {@value #REPORTS_BY_NODE} repartition of the application {@code applicationId}. */
    public static String reportsRepartitionTopic(String applicationId) {
        return applicationId + "-" + REPORTS_BY_NODE + "-repartition";
    }

    private static void build(StreamsBuilder builder, Topics topics, Duration commandTimeout, Duration deadlineCheckInterval,
                              LongSupplier resultsReadUpTo) {
        int partitions = topics.nodes().settings().partitions();
        Topic<String, SlotRequest> slotRequests = topics.slotRequests().withValueSerde(JsonSerde.of(SlotRequest.class));
        Topic<String, SlotLease> slotLeases = topics.slotLeases().withValueSerde(JsonSerde.of(SlotLease.class));
        Serde<PolicySpec> specSerde = JsonSerde.of(PolicySpec.class);
        addStores(builder);

        KStream<String, PolicySpec> policies = source(builder, topics.policies(), "policies-source")
            .mapValues(PolicySpec::from, Named.as("policies-validate"));
        KStream<String, PolicySpec> broadcastPolicies = policies.repartition(Repartitioned.<String, PolicySpec>as("policy-broadcast")
            .withKeySerde(Serdes.String()).withValueSerde(specSerde).withNumberOfPartitions(partitions)
            .withStreamPartitioner(new BroadcastPartitioner<>()));
        KStream<String, PolicySpec> policiesByName = policies.repartition(Repartitioned.<String, PolicySpec>as("policies-by-name")
            .withKeySerde(Serdes.String()).withValueSerde(specSerde).withNumberOfPartitions(partitions));

        Topic<String, EnactmentEvent> enactmentTopic = topics.enactments();
        KStream<String, EnactmentEvent> resultsByNode = source(builder, enactmentTopic, "enactments-source")
            .mapValues(ReconcilerTopology::report, Named.as("enactments-validate"))
            .filter((key, event) -> event != null && ReconcilerEnactments.isAgentResult(event), Named.as("agent-results"))
            .processValues(OriginHeader::new, Named.as("agent-results-origin"))
            .selectKey((key, event) -> event.getNode(), Named.as("agent-results-by-node"))
            .repartition(Repartitioned.<String, EnactmentEvent>as(REPORTS_BY_NODE)
                .withKeySerde(enactmentTopic.keySerde()).withValueSerde(enactmentTopic.valueSerde()).withNumberOfPartitions(partitions));

        KStream<String, CoordinatorOutput> coordinated = policiesByName
            .<CoordinatorInput>mapValues(CoordinatorInput.PolicyChange::new, Named.as("coordinator-policy-input"))
            .merge(source(builder, slotRequests, "slot-requests-source")
                .mapValues((key, request) -> SlotContract.checkRequest(key, request, partitions), Named.as("slot-requests-validate"))
                .mapValues(CoordinatorInput.Request::new, Named.as("coordinator-request-input")), Named.as("coordinator-inputs"))
            .process(() -> new RolloutCoordinator(partitions), Named.as("rollout-coordinator"), RolloutCoordinator.STATE_STORE);
        coordinated.filter((key, out) -> out instanceof CoordinatorOutput.Lease, Named.as("leases-only"))
            .mapValues(out -> ((CoordinatorOutput.Lease) out).lease(), Named.as("leases-unwrap"))
            .to(slotLeases.name(), Produced.with(slotLeases.keySerde(), slotLeases.valueSerde())
                .withStreamPartitioner(new ToLeasedPartition()).withName("slot-leases-sink"));
        Topic<String, RolloutEvent> rolloutTopic = topics.rollouts();
        coordinated.filter((key, out) -> out instanceof CoordinatorOutput.Rollout, Named.as("rollouts-only"))
            .mapValues(out -> ((CoordinatorOutput.Rollout) out).event(), Named.as("rollouts-unwrap"))
            .to(rolloutTopic.name(), Produced.with(rolloutTopic.keySerde(), rolloutTopic.valueSerde()).withName("rollouts-sink"));

        KStream<String, NodeInput> inventory = source(builder, topics.nodes(), "nodes-source")
            .mapValues(ReconcilerTopology::inventory, Named.as("nodes-validate"))
            .merge(source(builder, topics.nodeIdentities(), "node-identities-source")
                .mapValues(ReconcilerTopology::identity, Named.as("node-identities-validate")), Named.as("node-inputs-identities"));
        KStream<String, NodeOutput> outputs = inventory
            .merge(broadcastPolicies.mapValues(NodeInput.PolicyChange::new, Named.as("node-policy-input")),
                Named.as("node-inputs-policies"))
            .merge(resultsByNode.mapValues(NodeInput.Report::new, Named.as("node-report-input")), Named.as("node-inputs-reports"))
            .merge(source(builder, slotLeases, "slot-leases-source")
                .mapValues((key, lease) -> SlotContract.checkLease(key, lease, partitions), Named.as("slot-leases-validate"))
                .mapValues(NodeInput.Lease::new, Named.as("node-lease-input")), Named.as("node-inputs-leases"))
            .process(() -> new NodeReconciler(commandTimeout, deadlineCheckInterval, resultsReadUpTo), Named.as("node-reconciler"),
                NodeReconciler.NODE_STORE, NodeReconciler.POLICY_STORE, NodeReconciler.DEADLINE_STORE, NodeReconciler.ROLLOUT_STORE,
                NodeReconciler.QUEUE_STORE);

        outputs.filter((key, out) -> out instanceof NodeOutput.Command, Named.as("commands-only"))
            .mapValues(out -> ((NodeOutput.Command) out).command(), Named.as("commands-unwrap"))
            .to(topics.commands().name(), Produced.with(topics.commands().keySerde(), topics.commands().valueSerde())
                .withName("commands-sink"));
        outputs.filter((key, out) -> out instanceof NodeOutput.Enactment, Named.as("enactments-only"))
            .mapValues(out -> ((NodeOutput.Enactment) out).event(), Named.as("enactments-unwrap"))
            .to(enactmentTopic.name(), Produced.with(enactmentTopic.keySerde(), enactmentTopic.valueSerde()).withName("enactments-sink"));
        outputs.filter((key, out) -> out instanceof NodeOutput.Request, Named.as("slot-requests-only"))
            .mapValues(out -> ((NodeOutput.Request) out).request(), Named.as("slot-requests-unwrap"))
            .to(slotRequests.name(), Produced.with(slotRequests.keySerde(), slotRequests.valueSerde()).withName("slot-requests-sink"));
    }

    private static void addStores(StreamsBuilder builder) {
        builder.addStateStore(cached(NodeReconciler.NODE_STORE, JsonSerde.of(NodeState.class)));
        builder.addStateStore(cached(NodeReconciler.POLICY_STORE, JsonSerde.of(PolicySpec.class)));
        builder.addStateStore(cached(NodeReconciler.DEADLINE_STORE, Serdes.String()));
        builder.addStateStore(cached(NodeReconciler.ROLLOUT_STORE, JsonSerde.of(PartitionRollout.class)));
        builder.addStateStore(cached(NodeReconciler.QUEUE_STORE, Serdes.String()));
        builder.addStateStore(cached(RolloutCoordinator.STATE_STORE, JsonSerde.of(RolloutState.class)));
    }

    /**
     * A persistent, changelogged store with Kafka Streams' record cache in front: a node's record and a policy's
     * rollout state change several times within one commit interval during a rollout, and the cache writes each key
     * to RocksDB and the changelog once per commit instead of once per change.
     */
    private static <V> StoreBuilder<KeyValueStore<String, V>> cached(String name, Serde<V> valueSerde) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.String(), valueSerde).withCachingEnabled();
    }

    private static <V> KStream<String, V> source(StreamsBuilder builder, Topic<String, V> topic, String name) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde()).withName(name));
    }

    /**
     * The inventory input of a node event, checked against the event contract; a tombstone or {@code removed} means the
     * node left.
     */
    private static NodeInput inventory(String key, NodeEvent event) {
        EventContract.checkNode(key, event);
        if (event == null || event.getRemoved()) {
            return new NodeInput.Inventory(Map.of(), true, event);
        }
        return new NodeInput.Inventory(event.getLabels(), false, event);
    }

    /** An operator's re-key, checked against the event contract. */
    private static NodeInput identity(String key, NodeIdentity identity) {
        EventContract.checkIdentity(key, identity);
        return new NodeInput.Identity(identity.getPublicKey().toString());
    }

    /** An enactment checked against the event contract: a report under another node's key is set aside, not acted on. */
    private static EnactmentEvent report(String key, EnactmentEvent event) {
        EventContract.checkEnactment(key, event);
        return event;
    }

    /** Writes each lease to the node partition it is for, whatever its key. */
    private static final class ToLeasedPartition implements StreamPartitioner<String, SlotLease> {

        @Override
        public Optional<Set<Integer>> partitions(String topic, String key, SlotLease lease, int numPartitions) {
            return Optional.of(Set.of(lease.partition()));
        }
    }
}
