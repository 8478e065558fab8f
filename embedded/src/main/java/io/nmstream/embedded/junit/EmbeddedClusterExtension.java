package io.nmstream.embedded.junit;

import io.nmstream.embedded.EmbeddedCluster;
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
            .getOrComputeIfAbsent("cluster", key -> new ClosableCluster(EmbeddedCluster.start((Path) null)),
                ClosableCluster.class)
            .cluster();
    }

    /** Lets JUnit close the shared cluster when the root context (the test JVM's run) ends. */
    private record ClosableCluster(EmbeddedCluster cluster) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            cluster.close();
        }
    }
}
