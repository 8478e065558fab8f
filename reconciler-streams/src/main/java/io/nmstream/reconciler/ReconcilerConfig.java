package io.nmstream.reconciler;

import io.nmstream.common.config.Config;
import io.nmstream.common.config.Setting;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.reconciler.errors.DeadLetterDeserializationHandler;
import io.nmstream.reconciler.errors.DeadLetterProcessingHandler;
import io.nmstream.reconciler.errors.DeadLetterProductionHandler;
import io.nmstream.reconciler.errors.DeadLetters;
import io.nmstream.schemas.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The reconciler's own settings, typed and validated at start-up, and the Kafka Streams properties they make together
 * with the shared {@link ClusterSettings}.
 */
public final class ReconcilerConfig {

    public static final Setting<String> APPLICATION_ID = Setting.string("reconciler.application.id", "nmstream-reconciler",
        "Kafka Streams application id: consumer group, and prefix of the reconciler's internal topics.");
    public static final Setting<Integer> THREADS = Setting.integer("reconciler.threads", 1, 1, 64,
        "Stream threads per reconciler instance.");
    public static final Setting<Integer> STANDBY_REPLICAS = Setting.integer("reconciler.standby.replicas", 1, 0, 10,
        "Warm copies of each task's state kept on other instances, for fast fail-over.");
    public static final Setting<Duration> COMMAND_TIMEOUT = atLeast(Setting.duration("reconciler.command.timeout", Duration.ofMinutes(10),
        "How long a node has to report the result of a command before it counts as FAILING with reason Timeout."), Duration.ofSeconds(1));
    public static final Setting<Duration> DEADLINE_CHECK_INTERVAL = atLeast(Setting.duration("reconciler.deadline.check.interval",
        Duration.ofSeconds(1), "How often (wall-clock time) the reconciler looks for commands past their deadline."),
        Duration.ofMillis(10));
    public static final Setting<String> STATE_DIR = Setting.string("reconciler.state.dir",
        Path.of(System.getProperty("java.io.tmpdir"), "nmstream-reconciler").toString(),
        "Directory of the reconciler's local state stores (rebuilt from their changelogs when lost) and of the copy of "
            + "RocksDB's native library each process loads (native/PID, removed at the next start once PID has ended).");
    public static final Setting<String> INSTANCE_ID = Setting.string("reconciler.instance.id", "",
        "This instance's static member name in the consumer group (each thread adds -<n>); empty: a name kept in "
            + "reconciler.state.dir, so that a restarted instance takes its tasks back at once instead of waiting for its old "
            + "session to expire. Set it (a pod name, say) when the state directory does not survive a restart.");
    public static final Setting<Duration> COMMIT_INTERVAL = atLeast(Setting.duration("reconciler.commit.interval", Duration.ofMillis(100),
        "How often transactions are committed; also the latency of every rollout step."), Duration.ofMillis(10));
    public static final Setting<Duration> TRANSACTION_TIMEOUT = atLeast(Setting.duration("reconciler.transaction.timeout",
        Duration.ofMinutes(1), "How long one of the reconciler's transactions may stay open before the broker aborts it. One "
            + "transaction holds everything a single input causes, e.g. a policy reaching every node of a thread's "
            + "partitions, or a lease admitting thousands of them; an abort makes the thread start over from its last "
            + "commit. It is also how long readers wait for the partitions an instance that died was writing to, unless "
            + "it is started again on its state directory (which aborts its transaction at once) or the instances still "
            + "running see the group settle without it (they abort it then). When it is not set, a "
            + "kafka.client.transaction.timeout.ms applies instead of the default."), Duration.ofSeconds(1));

    /** Every setting declared here, for validation at start-up and the configuration reference. */
    public static final List<Setting<?>> ALL = List.of(APPLICATION_ID, THREADS, STANDBY_REPLICAS, COMMAND_TIMEOUT, DEADLINE_CHECK_INTERVAL,
        STATE_DIR, INSTANCE_ID, COMMIT_INTERVAL, TRANSACTION_TIMEOUT);

    private final Config config;

    private ReconcilerConfig(Config config) {
        config.validate(ALL);
        this.config = config;
    }

    /**
     * The reconciler settings found in {@code config}.
     *
     * @throws io.nmstream.common.config.ConfigException naming the first bad setting and its value
     */
    public static ReconcilerConfig from(Config config) {
        return new ReconcilerConfig(config);
    }

    /** Every setting at its default. */
    public static ReconcilerConfig defaults() {
        return from(Config.of(Map.of()));
    }

    public String applicationId() {
        return config.get(APPLICATION_ID);
    }

    public Duration commandTimeout() {
        return config.get(COMMAND_TIMEOUT);
    }

    /** Where the local state stores are. */
    public Path stateDir() {
        return Path.of(config.get(STATE_DIR));
    }

    /** The configured static member name, or empty when the one kept in the state directory is used. */
    public String instanceId() {
        return config.get(INSTANCE_ID);
    }

    public Duration deadlineCheckInterval() {
        return config.get(DEADLINE_CHECK_INTERVAL);
    }

    /** Kafka Streams properties: exactly-once, the dead-letter exception handlers, and the cluster's connection settings. */
    public Properties streamsProperties(ClusterSettings cluster, Topics topics) {
        Properties props = new Properties();
        props.putAll(cluster.clientProperties());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.get(APPLICATION_ID));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.get(THREADS));
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.get(STANDBY_REPLICAS));
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.get(STATE_DIR));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.get(COMMIT_INTERVAL).toMillis());
        // Kafka Streams lowers the producer's transaction timeout to 10 s under exactly-once. A policy matching 100,000
        // nodes, first applied while the projector rebuilt its status on a loaded 2-core machine, kept one transaction
        // open longer than that: the broker aborted it, and the thread, fenced, restored its stores and began again, with
        // every command it had in flight to re-send in one transaction too; it took several rounds to get through.
        // A transaction timeout passed through (kafka.client.transaction.timeout.ms) is the user's word too: it stands
        // unless the reconciler's own setting is given
        if (config.isSet(TRANSACTION_TIMEOUT) || !props.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)) {
            props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) config.get(TRANSACTION_TIMEOUT).toMillis());
        }
        // Every decision is made from state, never from the relative timestamps of the task's input topics, so a task
        // need not wait for its empty partitions; with waiting enabled Kafka Streams also formats a log line for every
        // record while any partition is empty, which was a tenth of the reconciler's CPU time in a rollout.
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) topics.nodes().settings().replicationFactor());
        // changelogs and repartition topics are as durable as nmstream's own topics: a write counts once it is in sync there
        props.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), cluster.minInsyncReplicas());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // Kafka Streams also builds a StreamsConfig for its partition assignor from the main consumer's settings alone,
        // and warns at every start that the handler is not enabled for the global thread unless they carry it too
        props.put(StreamsConfig.mainConsumerPrefix(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        props.put(DeadLetters.TOPIC_CONFIG, topics.deadLetters().name());
        return props;
    }

    private static Setting<Duration> atLeast(Setting<Duration> setting, Duration minimum) {
        return new Setting<>(setting.name(), text -> {
            Duration value = setting.parser().apply(text);
            if (value.compareTo(minimum) < 0) {
                throw new IllegalArgumentException("must be at least " + minimum.toMillis() + "ms");
            }
            return value;
        }, setting.defaultValue(), setting.doc());
    }
}
