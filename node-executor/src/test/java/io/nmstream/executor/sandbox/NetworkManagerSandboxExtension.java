package io.nmstream.executor.sandbox;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@link NetworkManagerSandbox} per test JVM, on first use, and stops it when the JVM's tests are done.
 * Tests take it as a {@code NetworkManagerSandbox} parameter.
 */
public final class NetworkManagerSandboxExtension implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NetworkManagerSandboxExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NetworkManagerSandbox.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Holder.class, k -> new Holder(), Holder.class).sandbox;
    }

    /** Keeps the sandbox in the root store, whose closing at the end of the test run stops it. */
    private static final class Holder implements ExtensionContext.Store.CloseableResource {
        private final NetworkManagerSandbox sandbox;

        Holder() {
            try {
                sandbox = NetworkManagerSandbox.start();
            } catch (Exception e) {
                throw new ParameterResolutionException("NetworkManager sandbox: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() throws Throwable {
            sandbox.close();
        }
    }
}
