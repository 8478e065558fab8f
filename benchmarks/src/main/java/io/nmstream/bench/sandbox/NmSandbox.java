package io.nmstream.bench.sandbox;

import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The node executor's NetworkManager sandbox ({@link NetworkManagerSandbox}: a real NetworkManager in a throw-away
 * network namespace, on a private system bus, with veth pairs v0:v1 ... v10:v11) as the bench uses it: nmstream is
 * pointed at its bus, and {@code nmcli} runs with it as the system bus. Nothing here touches the machine's own
 * NetworkManager or network namespace.
 */
public final class NmSandbox implements AutoCloseable {

    /** Where the sandboxes' directories go (NetworkManager's log among them). */
    private static final Path PARENT = Path.of("/tmp", "nmstream-bench-nm");
    /** Where packages install programs; the bench never runs a program from elsewhere. */
    private static final List<String> PROGRAM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin",
        "/bin");

    private final NetworkManagerSandbox sandbox;

    private NmSandbox(NetworkManagerSandbox sandbox) {
        this.sandbox = sandbox;
    }

    /** Why a sandbox cannot run here (not root, NetworkManager or nmcli missing); empty when it can. */
    public static Optional<String> unavailableReason() {
        if (!isRoot()) {
            return Optional.of("needs root to create a network namespace for the NetworkManager sandbox");
        }
        if (onPath("NetworkManager").isEmpty()) {
            return Optional.of("NetworkManager is not installed (apt-get install -y network-manager)");
        }
        if (onPath("nmcli").isEmpty()) {
            return Optional.of("nmcli is not installed (apt-get install -y network-manager)");
        }
        return Optional.empty();
    }

    /** Starts a sandbox of its own; fails with the script's output when it cannot. */
    public static NmSandbox start() throws IOException, InterruptedException {
        return new NmSandbox(NetworkManagerSandbox.start(PARENT, ""));
    }

    /** The D-Bus address of the sandbox's system bus. */
    public String busAddress() {
        return sandbox.busAddress();
    }

    /** {@code ip -n <namespace> args...}: how a user looks at the links. */
    public String ip(String... args) {
        return sandbox.ip(args);
    }

    /** Starts {@code command} with the sandbox's bus as its system bus (for nmcli), its output merged and captured. */
    public ProcessBuilder processBuilder(List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(sandbox.clientEnvironment());
        return pb;
    }

    /** Runs a command against the sandbox to its end; returns its exit code and output. */
    public Result run(List<String> command) throws IOException, InterruptedException {
        Process p = processBuilder(command).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), output);
    }

    /** Runs a command that must succeed; fails with its output otherwise. */
    public void check(List<String> command) throws IOException, InterruptedException {
        Result result = run(command);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + result.exitCode() + "): "
                + result.output().trim());
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        sandbox.close();
    }

    /** Exit code and combined output of a command. */
    public record Result(int exitCode, String output) {
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static Optional<Path> onPath(String program) {
        return PROGRAM_DIRECTORIES.stream().map(d -> Path.of(d, program)).filter(Files::isExecutable).findFirst();
    }
}
