package io.nmstream.common.kafka;

import io.nmstream.common.config.ConfigException;
import io.nmstream.schemas.Topic;
import io.nmstream.schemas.TopicSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates nmstream's topics when they are missing and checks that existing ones have the settings nmstream relies on.
 *
 * <p>Idempotent: running it again, or from several services at once, changes nothing. A topic that exists with another
 * partition count, cleanup policy or retention is reported, not altered: changing those silently could reshuffle
 * node-keyed partitions or delete audit history.
 *
 * <p>Topics are created with the replication factor and {@code min.insync.replicas} of the {@link ClusterSettings}
 * ({@code topics.replication.factor}, {@code topics.min.insync.replicas}); a replication factor the cluster has too few
 * brokers for is refused before anything is created, naming the setting and the broker count.
 */
public final class TopicBootstrapper {

    private static final Logger LOG = LoggerFactory.getLogger(TopicBootstrapper.class);
    /** Longest wait for a created topic's partitions to be served by their leaders. */
    private static final Duration SERVED_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final short replicationFactor;
    private final int minInsyncReplicas;

    public TopicBootstrapper(Admin admin, ClusterSettings settings) {
        this.admin = admin;
        this.replicationFactor = settings.replicationFactor();
        this.minInsyncReplicas = settings.minInsyncReplicas();
    }

    /**
     * Creates the missing topics and verifies the existing ones.
     *
     * @return the names of the topics it created
     * @throws TopicMismatchException when an existing topic's settings differ, naming each topic, setting and both values
     */
    public List<String> ensure(Collection<Topic<?, ?>> topics) {
        Set<String> existing = call(() -> admin.listTopics().names().get());
        List<NewTopic> missing = topics.stream()
            .filter(t -> !existing.contains(t.name()))
            .map(t -> new NewTopic(t.name(), t.settings().partitions(), replicationFactor).configs(configs(t)))
            .toList();
        if (!missing.isEmpty()) {
            requireEnoughBrokers();
        }
        List<String> created = new ArrayList<>();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).values().forEach((name, future) -> {
                try {
                    future.get();
                    created.add(name);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + name + ": " + e.getCause().getMessage(), e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while creating topic " + name, e);
                }
            });
            LOG.info("Created topics {}", created);
            awaitServed(topics.stream().filter(t -> created.contains(t.name())).toList());
        }
        verify(topics.stream().filter(t -> existing.contains(t.name())).toList());
        return created;
    }

    /**
     * Waits until a leader serves every partition of {@code created}. A topic exists before its partitions' leaders have
     * loaded them; a producer that writes in between is told "not leader", and an idempotent producer's retry of that was
     * seen to end in an out-of-order sequence it then retried for minutes, its records never written. Only a serving
     * leader answers a partition's end offset (the admin client retries until then).
     */
    private void awaitServed(List<Topic<?, ?>> created) {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (Topic<?, ?> topic : created) {
            for (int partition = 0; partition < topic.settings().partitions(); partition++) {
                partitions.put(new TopicPartition(topic.name(), partition), OffsetSpec.latest());
            }
        }
        List<String> names = created.stream().map(Topic::name).toList();
        long deadline = System.nanoTime() + SERVED_TIMEOUT.toNanos();
        while (!partitions.isEmpty()) {
            try {
                // asked first whether every partition has a leader: the admin client logs an ERROR for each topic whose
                // end offsets it is asked for before its metadata shows the topic, which alarms whoever reads the log
                if (everyPartitionLed(names)) {
                    admin.listOffsets(partitions).all().get();
                    return;
                }
            } catch (ExecutionException e) {
                // the admin client gives up at once on a topic its metadata does not show yet
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Created topics not served within " + SERVED_TIMEOUT + ": " + e.getCause().getMessage(),
                        e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for created topics to be served", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Created topics not served within " + SERVED_TIMEOUT + ": a partition of " + names
                    + " has no leader");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for created topics to be served", e);
            }
        }
    }

    private boolean everyPartitionLed(List<String> names) throws ExecutionException, InterruptedException {
        Map<String, TopicDescription> described = admin.describeTopics(names).allTopicNames().get();
        return described.values().stream().allMatch(topic -> topic.partitions().stream().allMatch(p -> p.leader() != null));
    }

    /** The topic's own configs and the cluster-wide {@code min.insync.replicas}. */
    private Map<String, String> configs(Topic<?, ?> topic) {
        Map<String, String> configs = new LinkedHashMap<>(topic.settings().configs());
        configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
        return configs;
    }

    private void requireEnoughBrokers() {
        int brokers = call(() -> admin.describeCluster().nodes().get()).size();
        if (replicationFactor > brokers) {
            throw new ConfigException(ClusterSettings.TOPIC_REPLICATION.name() + " is " + replicationFactor + " but the Kafka cluster has "
                + brokers + (brokers == 1 ? " broker" : " brokers") + ": set it to at most " + brokers + " (and "
                + ClusterSettings.TOPIC_MIN_INSYNC_REPLICAS.name() + " to at most that), or add brokers");
        }
    }

    private void verify(List<Topic<?, ?>> topics) {
        if (topics.isEmpty()) {
            return;
        }
        Set<String> names = topics.stream().map(Topic::name).collect(Collectors.toSet());
        Map<String, TopicDescription> descriptions = call(() -> admin.describeTopics(names).allTopicNames().get());
        List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        Map<ConfigResource, Config> configs = call(() -> admin.describeConfigs(resources).all().get());
        List<String> problems = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            TopicSettings wanted = topic.settings();
            int partitions = descriptions.get(topic.name()).partitions().size();
            if (partitions != wanted.partitions()) {
                problems.add(topic.name() + ": partitions is " + partitions + ", expected " + wanted.partitions());
            }
            Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
            configs(topic).forEach((key, value) -> {
                String have = actual.get(key) == null ? null : actual.get(key).value();
                if (!value.equals(have)) {
                    problems.add(topic.name() + ": " + key + " is " + have + ", expected " + value);
                }
            });
        }
        if (!problems.isEmpty()) {
            throw new TopicMismatchException("Existing topics do not have the settings nmstream needs (fix them or use another "
                + "topics.namespace): " + String.join("; ", problems));
        }
    }

    private interface AdminCall<T> {
        T get() throws InterruptedException, ExecutionException;
    }

    private static <T> T call(AdminCall<T> call) {
        try {
            return call.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka admin request failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during a Kafka admin request", e);
        }
    }

    /** An existing topic's settings differ from what nmstream declares. */
    public static final class TopicMismatchException extends RuntimeException {
        public TopicMismatchException(String message) {
            super(message);
        }
    }
}
