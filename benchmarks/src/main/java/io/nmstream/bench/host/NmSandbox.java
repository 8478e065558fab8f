package io.nmstream.bench.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real NetworkManager in a throw-away network namespace on a private system bus, started and stopped through the node
 * executor's sandbox script ({@code node-executor/src/main/resources/nm-sandbox/nm-sandbox.sh}), run from the source
 * tree. Nothing here touches the machine's own NetworkManager or network namespace: every client is pointed at the
 * sandbox's bus.
 */
final class NmSandbox implements AutoCloseable {

    /** Where the node executor keeps the script, relative to the repository root. */
    static final Path SCRIPT_IN_REPOSITORY = Path.of("node-executor", "src", "main", "resources", "nm-sandbox", "nm-sandbox.sh");

    /** Where packages install programs; the bench never runs a program from elsewhere. */
    private static final List<String> PROGRAM_DIRECTORIES = List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin",
        "/bin");

    private final Path script;
    private final Path dir;
    private final String namespace;

    private NmSandbox(Path script, Path dir, String namespace) {
        this.script = script;
        this.dir = dir;
        this.namespace = namespace;
    }

    /** Why the sandbox cannot run here (not root, NetworkManager or nmcli missing, script not found); empty when it can. */
    static Optional<String> unavailableReason(Path script) {
        if (!isRoot()) {
            return Optional.of("needs root to create a network namespace for the NetworkManager sandbox");
        }
        if (onPath("NetworkManager").isEmpty()) {
            return Optional.of("NetworkManager is not installed (apt-get install -y network-manager)");
        }
        if (onPath("nmcli").isEmpty()) {
            return Optional.of("nmcli is not installed (apt-get install -y network-manager)");
        }
        if (script == null || !Files.isRegularFile(script)) {
            return Optional.of("sandbox script not found (" + SCRIPT_IN_REPOSITORY + " from the repository root, or --nm-sandbox-script)");
        }
        return Optional.empty();
    }

    /** The script given, or the node executor's, looked for from the current directory upwards. */
    static Path locateScript(Path given) {
        if (given != null) {
            return given;
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(SCRIPT_IN_REPOSITORY);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Starts a sandbox with a directory and namespace of its own; fails with the script's output when it cannot. */
    static NmSandbox start(Path script) throws IOException, InterruptedException {
        String unique = ProcessHandle.current().pid() + "b" + Long.toString(System.nanoTime() % 100_000, 36);
        Path dir = Path.of("/tmp", "nmstream-bench-nm-" + unique);
        Files.createDirectories(dir);
        NmSandbox sandbox = new NmSandbox(script, dir, "nmb" + unique);
        Result result = sandbox.script("start");
        if (result.exitCode() != 0) {
            throw new IllegalStateException("Cannot start the NetworkManager sandbox: " + result.output());
        }
        return sandbox;
    }

    /** The D-Bus address of the sandbox's system bus. */
    String busAddress() {
        return "unix:path=" + dir.resolve("system_bus_socket");
    }

    /** Runs a command with the sandbox's bus as its system bus; returns its exit code and output. */
    Result run(List<String> command) throws IOException, InterruptedException {
        return exec(command, Map.of("DBUS_SYSTEM_BUS_ADDRESS", busAddress()));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        script("stop");
    }

    private Result script(String action) throws IOException, InterruptedException {
        return exec(List.of("bash", script.toString(), action), Map.of("NMS_DIR", dir.toString(), "NMS_NS", namespace));
    }

    private static Result exec(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), output);
    }

    /** Exit code and combined output of a command. */
    record Result(int exitCode, String output) {
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
