package io.nmstream.cli;

import io.nmstream.embedded.EmbeddedKafka;
import io.nmstream.embedded.EmbeddedKafkaQuorum;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * Three Kafka brokers for a test that loses one: the embedded ones by default ({@link EmbeddedKafkaQuorum}), or, when
 * the test JVM has {@code -Dnmstream.it.brokers=docker} (the {@code docker-kafka} Maven profile sets it, and adds
 * Testcontainers), three {@code apache/kafka} containers.
 */
interface KafkaBrokers extends AutoCloseable {

    /** The system property that picks the brokers; the profile sets it to {@code docker}. */
    String KIND_PROPERTY = "nmstream.it.brokers";
    /** Compiled only in the {@code docker-kafka} profile, so found by name. */
    String DOCKER_IMPLEMENTATION = "io.nmstream.cli.DockerKafkaBrokers";

    /** Every broker's client listener, as {@code bootstrap.servers} takes them. */
    String bootstrapServers();

    /** Kills the broker with node id {@code nodeId} (1 to 3) with SIGKILL, and says which it was. */
    String kill(int nodeId);

    @Override
    void close();

    /** Three brokers, their logs kept in {@code logDir}. */
    static KafkaBrokers three(Path logDir) {
        if ("docker".equals(System.getProperty(KIND_PROPERTY))) {
            try {
                return (KafkaBrokers) Class.forName(DOCKER_IMPLEMENTATION).getDeclaredConstructor(int.class, Path.class)
                    .newInstance(3, logDir);
            } catch (InvocationTargetException e) {
                // a skip (no Docker) or a failure to start the containers, as the constructor threw it
                throw e.getCause() instanceof RuntimeException cause ? cause : new IllegalStateException(e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("The docker-kafka profile's brokers are not on the test classpath: " + e, e);
            }
        }
        return new Embedded(EmbeddedKafkaQuorum.start(3, EmbeddedKafka.Options.defaults().withHeap("512m")
            .withLogFile(logDir.resolve("broker.log"))));
    }

    /** The embedded quorum: three combined KRaft nodes in child JVMs. */
    record Embedded(EmbeddedKafkaQuorum quorum) implements KafkaBrokers {

        @Override
        public String bootstrapServers() {
            return quorum.bootstrapServers();
        }

        @Override
        public String kill(int nodeId) {
            EmbeddedKafka victim = quorum.nodes().get(nodeId - 1);
            victim.kill();
            return "embedded broker " + nodeId + " at " + victim.bootstrapServers();
        }

        @Override
        public void close() {
            quorum.close();
        }
    }
}
