package io.nmstream.embedded.junit;

import io.nmstream.embedded.EmbeddedCluster;
import io.nmstream.embedded.EmbeddedKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests an {@link EmbeddedCluster} parameter. One cluster is started lazily per test JVM and stopped when the JVM's
 * tests are done, so a module's integration tests pay the broker's start-up once; tests isolate themselves with their
 * own topic namespace ({@link EmbeddedCluster#createTopics}).
 */
public final class EmbeddedClusterExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EmbeddedClusterExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent("cluster", key -> new ClosableCluster(EmbeddedCluster.start(options(), 0)), ClosableCluster.class)
            .cluster();
    }

    /**
     * A temporary broker whose log is kept under the module's {@code target/embedded-kafka/} when tests run from a
     * Maven module, so that CI keeps it with the test reports: a failed or slow run can be read afterwards.
     */
    static EmbeddedKafka.Options options() {
        EmbeddedKafka.Options options = EmbeddedKafka.Options.defaults();
        Path target = Path.of("target");
        if (!Files.isDirectory(target)) {
            return options;
        }
        try {
            Path dir = Files.createDirectories(target.resolve("embedded-kafka"));
            return options.withLogFile(dir.resolve("broker-" + System.currentTimeMillis() + ".log"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + target.resolve("embedded-kafka"), e);
        }
    }

    /** Lets JUnit close the shared cluster when the root context (the test JVM's run) ends. */
    private record ClosableCluster(EmbeddedCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
