package io.nmstream.executor.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real NetworkManager running in its own network namespace, on a private D-Bus system bus, with veth pairs to manage
 * (by default v0:v1, v2:v3, ... v10:v11). Started by the bundled {@code nm-sandbox.sh}; never touches the machine's own
 * network namespace. The integration tests and {@code nmstream demo} run a real node agent against it.
 */
public final class NetworkManagerSandbox implements AutoCloseable {

    private final Path dir;
    private final String namespace;
    private final Path script;
    private final String vethPairs;

    private NetworkManagerSandbox(Path dir, String namespace, Path script, String vethPairs) {
        this.dir = dir;
        this.namespace = namespace;
        this.script = script;
        this.vethPairs = vethPairs;
    }

    /** Starts a sandbox under {@code target/nm-sandbox/<id>} (kept with the test reports) with the default veth pairs. */
    public static NetworkManagerSandbox start() throws IOException, InterruptedException {
        // under target/, so that CI keeps NetworkManager's log with the test reports and "mvn clean" removes it
        return start(Path.of(System.getProperty("basedir", "."), "target", "nm-sandbox"), "");
    }

    /**
     * Starts a sandbox with a unique directory under {@code parent} and a unique namespace; fails with the script's
     * output when it cannot.
     *
     * @param vethPairs the links to create, "name:peer name:peer ..." (both ends in the namespace); empty for the default
     */
    public static NetworkManagerSandbox start(Path parent, String vethPairs) throws IOException, InterruptedException {
        String unique = ProcessHandle.current().pid() + "x" + Long.toString(System.nanoTime() % 100_000, 36);
        Path dir = parent.resolve(unique).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Path script = dir.resolve("nm-sandbox.sh");
        try (InputStream in = NetworkManagerSandbox.class.getResourceAsStream("/nm-sandbox/nm-sandbox.sh")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        NetworkManagerSandbox sandbox = new NetworkManagerSandbox(dir, "nmx" + unique, script, vethPairs);
        Result result = sandbox.run("start");
        if (result.exitCode() != 0) {
            throw new IllegalStateException("Cannot start the NetworkManager sandbox (needs root and the network-manager package): "
                + result.output());
        }
        return sandbox;
    }

    /** True when this process can run a sandbox: it is root and NetworkManager is installed. */
    public static boolean available() {
        return "root".equals(System.getProperty("user.name")) && Files.isExecutable(Path.of("/usr/sbin/NetworkManager"));
    }

    /** The D-Bus address of the sandbox's system bus, for {@code NetworkManagerBackend.connect}. */
    public String busAddress() {
        return "unix:path=" + dir.resolve("system_bus_socket");
    }

    /** The network namespace NetworkManager manages. */
    public String namespace() {
        return namespace;
    }

    /** Runs {@code ip -n <namespace> <args>} and returns its output: how a user would inspect the links. */
    public String ip(String... args) {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
        command.addAll(List.of(args));
        try {
            Result r = exec(command, Map.of());
            if (r.exitCode() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + r.output());
            }
            return r.output();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs {@code command} inside the sandbox's network namespace, where NetworkManager runs, with its bus as the system
     * bus: as a process on the sandbox's host would run (a sysctl of that namespace, the node command line).
     */
    public Result execInNamespace(List<String> command) {
        List<String> inNamespace = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        inNamespace.addAll(command);
        try {
            return exec(inNamespace, clientEnvironment());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The resolv.conf NetworkManager writes from the DNS configuration of its profiles: in its private {@code /run}, read
     * through its process's root, as the sandbox keeps it away from the machine's own /etc/resolv.conf.
     */
    public String resolvConf() throws IOException {
        String pid = Files.readString(dir.resolve("NetworkManager.pid")).trim();
        return Files.readString(Path.of("/proc", pid, "root", "run", "NetworkManager", "resolv.conf"));
    }

    /** Environment for a child process that must reach the sandbox's NetworkManager. */
    public Map<String, String> clientEnvironment() {
        return Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        run("stop");
    }

    private Result run(String action) throws IOException, InterruptedException {
        Map<String, String> env = new HashMap<>(Map.of("NMS_DIR", dir.toString(), "NMS_NS", namespace));
        if (!vethPairs.isEmpty()) {
            env.put("NMS_VETH_PAIRS", vethPairs);
        }
        return exec(List.of("bash", script.toString(), action), env);
    }

    private static Result exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish");
        }
        return new Result(p.exitValue(), output);
    }

    /** A finished process: its exit code and its output, standard error included. */
    public record Result(int exitCode, String output) {
    }
}
