package io.nmstream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * nmstream's services (reconciler, status projector, node agent) each in its own JVM on the test's class path, started
 * from their {@code main} with {@code --set name=value} settings as a deployment starts them, so that a test can kill
 * one with SIGKILL like a crashed server. Each one's output is appended to {@code target/it-logs/<test>/<name>.log},
 * kept with the test reports; whatever still runs at {@link #close()} gets SIGTERM, then SIGKILL.
 */
final class ServiceProcesses implements AutoCloseable {

    private final Path logDir;
    private final List<Process> started = new ArrayList<>();

    /** Services of one test, their logs under {@code target/it-logs/<test>}. */
    ServiceProcesses(String test) {
        logDir = logDir(test);
    }

    /** Where a test's logs are kept: {@code target/it-logs/<test>}, created when missing. */
    static Path logDir(String test) {
        try {
            return Files.createDirectories(Path.of("target", "it-logs", test)).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path logDir() {
        return logDir;
    }

    /**
     * Starts {@code main} in a JVM of its own with at most {@code heap} of heap.
     *
     * @param name names the log file, {@code <name>.log}
     */
    Process start(String name, Class<?> main, String heap, Map<String, String> settings) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + heap, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.nmstream.schemas.avro",
            "-cp", System.getProperty("java.class.path"), main.getName()));
        settings.forEach((setting, value) -> command.addAll(List.of("--set", setting + "=" + value)));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logDir.resolve(name + ".log").toFile())).start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + main.getSimpleName(), e);
        }
    }

    /** SIGKILL, as a crash or a power cut: nothing gets to close, commit or leave its group. */
    static void kill(Process process) throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("process " + process.pid() + " survived SIGKILL for 30 s");
        }
    }

    @Override
    public void close() throws InterruptedException {
        started.stream().filter(Process::isAlive).forEach(Process::destroy);
        for (Process process : started) {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill(process);
            }
        }
    }
}
