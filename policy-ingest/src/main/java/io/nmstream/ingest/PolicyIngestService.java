package io.nmstream.ingest;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.nmstream.common.config.Config;
import io.nmstream.common.config.ConfigException;
import io.nmstream.common.http.HttpServerSettings;
import io.nmstream.common.kafka.ClusterSettings;
import io.nmstream.common.kafka.KafkaClients;
import io.nmstream.common.kafka.RejectedRecords;
import io.nmstream.ingest.http.ApiTokens;
import io.nmstream.ingest.http.PolicyHttpServer;
import io.nmstream.ingest.kubernetes.NncpWatcher;
import io.nmstream.ingest.kubernetes.NodeInventoryWatcher;
import io.nmstream.ingest.publish.PolicyPublisher;
import io.nmstream.schemas.Topics;
import io.nmstream.schemas.avro.NodeEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * policy-ingest as a service: one publisher shared by the HTTP API and, when enabled, the Kubernetes bridge (NNCP objects
 * to policy events, Node objects to node inventory). Starting validates every setting first, so a bad one stops the
 * start with a message naming it.
 */
public final class PolicyIngestService implements AutoCloseable {

    static final String CLIENT_ID = "nmstream-policy-ingest";
    private static final Logger LOG = LoggerFactory.getLogger(PolicyIngestService.class);

    private final List<AutoCloseable> parts = new ArrayList<>();
    private PolicyHttpServer http;

    private PolicyIngestService() {
    }

    /** Starts the service; a Kubernetes client is built from the current context when the bridge is enabled. */
    public static PolicyIngestService start(Config config) {
        return start(config, null);
    }

    /** Starts the service with {@code kubernetes} as the bridge's client (null: build one when the bridge is enabled). */
    public static PolicyIngestService start(Config config, KubernetesClient kubernetes) {
        return start(config, kubernetes, new SimpleMeterRegistry());
    }

    /** Starts the service as {@link #start(Config, KubernetesClient)} does, recording its Kafka clients' metrics on {@code meters}. */
    public static PolicyIngestService start(Config config, KubernetesClient kubernetes, MeterRegistry meters) {
        ClusterSettings cluster = new ClusterSettings(config);
        config.validate(IngestSettings.ALL);
        boolean httpEnabled = config.get(IngestSettings.HTTP_ENABLED);
        ApiTokens tokens = httpEnabled ? ApiTokens.configured(config) : null;
        HttpServerSettings httpSettings = httpEnabled
            ? IngestSettings.HTTP.from(config, config.get(IngestSettings.MANIFEST_MAX_BYTES)) : null;
        if (httpEnabled && tokens.isEmpty()) {
            throw new ConfigException("Setting '" + IngestSettings.HTTP_TOKENS_FILE.name() + "' (environment variable "
                + IngestSettings.HTTP_TOKENS_FILE.envVar() + ") or '" + IngestSettings.HTTP_TOKEN.name() + "' (environment variable "
                + IngestSettings.HTTP_TOKEN.envVar() + ") is required while " + IngestSettings.HTTP_ENABLED.name()
                + " is true: the policy HTTP API never runs unauthenticated");
        }
        PolicyIngestService service = new PolicyIngestService();
        try {
            RejectedRecords rejections = RejectedRecords.toDeadLetters(cluster.clientProperties(), cluster.topics(cluster.registryClient()),
                CLIENT_ID, meters);
            service.parts.add(rejections);
            PolicyPublisher publisher = PolicyPublisher.connect(cluster, config.get(IngestSettings.KAFKA_TIMEOUT), CLIENT_ID, rejections);
            service.parts.add(publisher);
            service.parts.add(bind(publisher.readerMetrics(), meters));
            // reading the topic once at start-up fails fast when Kafka or the topic is missing
            int policies = publisher.published().live().size();
            LOG.info("policy-ingest sees {} policies in force", policies);
            if (httpEnabled) {
                service.http = new PolicyHttpServer(publisher, httpSettings, tokens);
                service.parts.add(service.http);
                service.http.start();
            }
            if (config.get(IngestSettings.KUBERNETES_ENABLED)) {
                service.startKubernetesBridge(cluster, publisher, kubernetes, meters);
            }
            return service;
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    private static KafkaClientMetrics bind(KafkaClientMetrics metrics, MeterRegistry meters) {
        metrics.bindTo(meters);
        return metrics;
    }

    private void startKubernetesBridge(ClusterSettings cluster, PolicyPublisher publisher, KubernetesClient given, MeterRegistry meters) {
        KubernetesClient client = given;
        if (client == null) {
            client = new KubernetesClientBuilder().build();
            parts.add(client);
        }
        Topics topics = cluster.topics(cluster.registryClient());
        Producer<String, NodeEvent> inventory = KafkaClients.producer(cluster.clientProperties(), topics.nodes(), CLIENT_ID + "-nodes");
        NodeInventoryWatcher nodes = new NodeInventoryWatcher(client, inventory, topics.nodes(), Clock.systemUTC());
        parts.add(nodes);
        parts.add(bind(new KafkaClientMetrics(inventory), meters));
        nodes.start();
        NncpWatcher nncps = new NncpWatcher(client, publisher);
        parts.add(nncps);
        nncps.start();
        LOG.info("Kubernetes bridge watching NodeNetworkConfigurationPolicies and Nodes at {}", client.getMasterUrl());
    }

    /** The port of the HTTP API, when it is enabled. */
    public Optional<Integer> httpPort() {
        return Optional.ofNullable(http).map(PolicyHttpServer::port);
    }

    /** Stops the parts in the reverse order of their start. */
    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(parts);
        Collections.reverse(reversed);
        for (AutoCloseable part : reversed) {
            try {
                part.close();
            } catch (Exception e) {
                LOG.warn("Stopping {} failed: {}", part.getClass().getSimpleName(), e.getMessage());
            }
        }
        parts.clear();
    }
}
