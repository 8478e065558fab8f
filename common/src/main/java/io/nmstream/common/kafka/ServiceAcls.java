package io.nmstream.common.kafka;

import io.nmstream.schemas.Topic;
import io.nmstream.schemas.Topics;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs each nmstream service needs in one topic namespace, and nothing more: which topics it reads and
 * writes, which consumer groups and transactional ids it uses. One principal per service, so that the broker itself
 * refuses, say, a node agent that writes policies or a policy publisher that writes enactments.
 *
 * <p>{@code nmstream acls} prints these as {@code kafka-acls} commands; the security integration test applies exactly
 * these bindings and runs the whole product on them.
 */
public final class ServiceAcls {

    /** Who connects to Kafka, each as its own principal. */
    public enum Service {
        /** policy-ingest: the CLI's {@code policy apply}, the HTTP API and the Kubernetes watcher. */
        INGEST("ingest"),
        RECONCILER("reconciler"),
        /** Every node agent (and the simulated fleet). */
        AGENT("agent"),
        PROJECTOR("projector"),
        /** nmstream's embedded schema registry, which keeps its schemas in a topic. */
        REGISTRY("registry"),
        /** Creates the namespace's topics ({@code TopicBootstrapper}). */
        BOOTSTRAP("bootstrap"),
        /** The read-only commands: get, wait, audit, replay, dead-letters. */
        VIEWER("viewer"),
        /** An operator's {@code nmstream node rekey}: the only writer of node keys after a node's first registration. */
        OPERATOR("operator");

        private final String suffix;

        Service(String suffix) {
            this.suffix = suffix;
        }

        /** The user name of this service's principal under {@code prefix}, e.g. {@code nmstream-reconciler}. */
        public String userName(String prefix) {
            return prefix + suffix;
        }
    }

    private final Map<Service, List<AclBinding>> bindings = new EnumMap<>(Service.class);
    private final String principalPrefix;

    /**
     * @param topics the namespace's topics
     * @param reconcilerApplicationId the reconciler's Kafka Streams application id (its group, the prefix of its
     *     internal topics and transactional ids)
     * @param projectorClientId the status projector's client id (the prefix of its transactional id)
     * @param principalPrefix prefix of each service's user name, e.g. {@code nmstream-}
     */
    public ServiceAcls(Topics topics, String reconcilerApplicationId, String projectorClientId, String principalPrefix) {
        this.principalPrefix = principalPrefix;
        String ns = topics.namespace();
        Grants ingest = new Grants(principal(Service.INGEST))
            .topic(topics.policies(), AclOperation.READ, AclOperation.WRITE)
            .topic(topics.nodes(), AclOperation.WRITE) // the Kubernetes node watcher keeps the inventory
            .topic(topics.status(), AclOperation.READ) // policy apply --wait
            .topic(topics.deadLetters(), AclOperation.WRITE)
            .literal(ResourceType.TRANSACTIONAL_ID, topics.policyPublisherTransactionalId(), AclOperation.WRITE);
        Grants reconciler = new Grants(principal(Service.RECONCILER))
            .topic(topics.policies(), AclOperation.READ)
            .topic(topics.nodes(), AclOperation.READ)
            .topic(topics.nodeIdentities(), AclOperation.READ)
            // it reads the nodes' results and writes its own steps: pending, aborted, timed out, removed
            .topic(topics.enactments(), AclOperation.READ, AclOperation.WRITE)
            .topic(topics.commands(), AclOperation.WRITE)
            .topic(topics.rollouts(), AclOperation.WRITE)
            .topic(topics.slotRequests(), AclOperation.READ, AclOperation.WRITE)
            .topic(topics.slotLeases(), AclOperation.READ, AclOperation.WRITE)
            .topic(topics.deadLetters(), AclOperation.WRITE)
            // Kafka Streams' changelog and repartition topics: created, read, written and configured by the application
            .prefixed(ResourceType.TOPIC, reconcilerApplicationId + "-", AclOperation.ALL)
            .literal(ResourceType.GROUP, reconcilerApplicationId, AclOperation.READ)
            .prefixed(ResourceType.TRANSACTIONAL_ID, reconcilerApplicationId + "-", AclOperation.WRITE);
        Grants agent = new Grants(principal(Service.AGENT))
            .topic(topics.commands(), AclOperation.READ)
            .topic(topics.enactments(), AclOperation.WRITE)
            .topic(topics.nodes(), AclOperation.WRITE)
            .topic(topics.nodeStates(), AclOperation.WRITE)
            .topic(topics.deadLetters(), AclOperation.WRITE)
            // each agent commits its read position in a group of its own, NS.node-agent.<node>
            .prefixed(ResourceType.GROUP, topics.nodeAgentGroupPrefix(), AclOperation.READ)
            .literal(ResourceType.GROUP, topics.simulatedFleetGroup(), AclOperation.READ);
        Grants projector = new Grants(principal(Service.PROJECTOR))
            .topic(topics.policies(), AclOperation.READ)
            .topic(topics.nodes(), AclOperation.READ)
            .topic(topics.nodeIdentities(), AclOperation.READ)
            .topic(topics.nodeStates(), AclOperation.READ)
            .topic(topics.enactments(), AclOperation.READ)
            .topic(topics.rollouts(), AclOperation.READ)
            .topic(topics.status(), AclOperation.READ, AclOperation.WRITE)
            .topic(topics.deadLetters(), AclOperation.WRITE)
            .prefixed(ResourceType.TRANSACTIONAL_ID, projectorClientId, AclOperation.WRITE);
        Grants registry = new Grants(principal(Service.REGISTRY))
            .topic(topics.registrySchemas(), AclOperation.CREATE, AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE_CONFIGS);
        Grants bootstrap = new Grants(principal(Service.BOOTSTRAP))
            .prefixed(ResourceType.TOPIC, ns + ".", AclOperation.CREATE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
        Grants viewer = new Grants(principal(Service.VIEWER));
        for (Topic<?, ?> topic : topics.all()) {
            viewer.topic(topic, AclOperation.READ);
        }
        bindings.put(Service.INGEST, ingest.bindings);
        bindings.put(Service.RECONCILER, reconciler.bindings);
        bindings.put(Service.AGENT, agent.bindings);
        bindings.put(Service.PROJECTOR, projector.bindings);
        bindings.put(Service.REGISTRY, registry.bindings);
        bindings.put(Service.BOOTSTRAP, bootstrap.bindings);
        bindings.put(Service.VIEWER, viewer.bindings);
        bindings.put(Service.OPERATOR, new Grants(principal(Service.OPERATOR))
            .topic(topics.nodeIdentities(), AclOperation.WRITE)
            .bindings);
    }

    /** The principal a service connects as, e.g. {@code User:nmstream-agent}. */
    public String principal(Service service) {
        return "User:" + service.userName(principalPrefix);
    }

    /** What {@code service} is allowed. */
    public List<AclBinding> bindings(Service service) {
        return bindings.get(service);
    }

    /** Every service's bindings. */
    public List<AclBinding> all() {
        return bindings.values().stream().flatMap(List::stream).toList();
    }

    /**
     * The {@code kafka-acls} commands that create every binding, one command per principal and resource (its
     * operations together), with a comment line before each service's.
     *
     * @param bootstrapServers what the commands connect to
     * @param commandConfig the admin client properties file they pass to {@code --command-config}
     */
    public List<String> kafkaAclsCommands(String bootstrapServers, String commandConfig) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<Service, List<AclBinding>> entry : bindings.entrySet()) {
            lines.add("# " + entry.getKey().name().toLowerCase(Locale.ROOT) + ": " + principal(entry.getKey()));
            Map<ResourcePattern, List<AclOperation>> byResource = entry.getValue().stream().collect(Collectors.groupingBy(
                AclBinding::pattern, LinkedHashMap::new, Collectors.mapping(b -> b.entry().operation(), Collectors.toList())));
            byResource.forEach((pattern, operations) -> {
                StringBuilder command = new StringBuilder("kafka-acls.sh --bootstrap-server ").append(bootstrapServers)
                    .append(" --command-config ").append(commandConfig)
                    .append(" --add --allow-principal ").append(principal(entry.getKey()));
                operations.forEach(op -> command.append(" --operation ").append(operationName(op)));
                command.append(' ').append(resourceOption(pattern.resourceType())).append(' ').append(pattern.name());
                if (pattern.patternType() == PatternType.PREFIXED) {
                    command.append(" --resource-pattern-type prefixed");
                }
                lines.add(command.toString());
            });
        }
        return lines;
    }

    private static String operationName(AclOperation operation) {
        // kafka-acls spells them in CamelCase: Read, Write, DescribeConfigs, All
        String[] words = operation.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder name = new StringBuilder();
        for (String word : words) {
            name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
        }
        return name.toString();
    }

    private static String resourceOption(ResourceType type) {
        return switch (type) {
            case TOPIC -> "--topic";
            case GROUP -> "--group";
            case TRANSACTIONAL_ID -> "--transactional-id";
            default -> throw new IllegalArgumentException("no kafka-acls option for " + type);
        };
    }

    /** One principal's allow-bindings, built resource by resource. */
    private static final class Grants {

        private final String principal;
        private final List<AclBinding> bindings = new ArrayList<>();

        Grants(String principal) {
            this.principal = principal;
        }

        Grants topic(Topic<?, ?> topic, AclOperation... operations) {
            return literal(ResourceType.TOPIC, topic.name(), operations);
        }

        Grants literal(ResourceType type, String name, AclOperation... operations) {
            return add(new ResourcePattern(type, name, PatternType.LITERAL), operations);
        }

        Grants prefixed(ResourceType type, String prefix, AclOperation... operations) {
            return add(new ResourcePattern(type, prefix, PatternType.PREFIXED), operations);
        }

        private Grants add(ResourcePattern pattern, AclOperation... operations) {
            for (AclOperation operation : operations) {
                bindings.add(new AclBinding(pattern, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
            return this;
        }
    }
}
