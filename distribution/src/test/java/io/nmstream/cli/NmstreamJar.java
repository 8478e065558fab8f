package io.nmstream.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the packaged {@code nmstream} jar as a user runs it: a separate JVM, its output captured. */
final class NmstreamJar {

    /** What a run printed and how it ended. */
    record Run(int exitCode, String stdout) {
    }

    private NmstreamJar() {
    }

    static Path jar() {
        Path jar = Path.of("target", "nmstream.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: integration tests run after 'package'");
        }
        return jar;
    }

    /** Starts {@code nmstream args...}; its standard output goes to {@code stdout}, its log to {@code stdout}.log. */
    static Process start(Path stdout, String... args) throws IOException {
        return start(stdout, Map.of(), args);
    }

    /**
     * Starts {@code nmstream args...} with {@code environment} added to this JVM's, as {@link #start(Path, String...)} does:
     * {@code java -jar nmstream.jar}, with no option the jar does not set itself.
     */
    static Process start(Path stdout, Map<String, String> environment, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g", "-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder
            .redirectOutput(stdout.toFile())
            .redirectError(Path.of(stdout + ".log").toFile())
            .start();
    }

    /**
     * The last {@code lines} lines of {@code file}, or why it cannot be read: for a failure message, as a temporary
     * directory's logs are deleted with it when the test ends.
     */
    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(" + file + " cannot be read: " + e + ")";
        }
    }

    /** Runs {@code nmstream args...} to its end, or kills it after {@code timeoutSeconds}. */
    static Run run(Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path stdout = dir.resolve("stdout.txt");
        return finish(start(stdout, args), stdout, timeoutSeconds, args);
    }

    /**
     * Runs {@code nmstream args...} as the user nobody (with {@code setpriv}), as {@link #run(Path, long, String...)} runs
     * it: a user other than the one who started an up. It runs a copy of the jar that user may read, in a directory of its
     * own, deleted afterwards; the files the command is given must be reachable by that user.
     */
    static Run runAsNobody(Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        Path home = Files.createTempDirectory("nmstream-nobody");
        try {
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jar = Files.copy(jar(), home.resolve("nmstream.jar"));
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "env",
                "HOME=" + home, Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar.toString()));
            command.addAll(List.of(args));
            Path stdout = dir.resolve("stdout.txt");
            Process process = new ProcessBuilder(command).directory(home.toFile()).redirectOutput(stdout.toFile())
                .redirectError(Path.of(stdout + ".log").toFile()).start();
            return finish(process, stdout, timeoutSeconds, args);
        } finally {
            Files.deleteIfExists(home.resolve("nmstream.jar"));
            Files.deleteIfExists(home);
        }
    }

    private static Run finish(Process process, Path stdout, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("nmstream " + String.join(" ", args) + " did not finish within " + timeoutSeconds + " s; output:\n"
                + Files.readString(stdout, StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8));
    }
}
