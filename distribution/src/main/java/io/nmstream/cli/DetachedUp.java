package io.nmstream.cli;

import io.nmstream.common.config.Durations;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Runs {@code nmstream up} in a process of its own, in the background, and returns once it is up, as
 * {@code docker compose up -d} does: the commands that follow find it answering. Its output goes to {@value #LOG_FILE}
 * in its data directory; {@code nmstream down} stops it.
 */
final class DetachedUp {

    /** The log of a detached up, in its data directory, appended to by each start. */
    static final String LOG_FILE = "up.log";
    /** The first line up prints once everything answers, and the start of its last one. */
    static final String READY = "nmstream is up";
    static final String LAST_LINE = "Try: ";
    /** How long a start may take: a first start formats the broker's storage and creates every topic. */
    private static final Duration START_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(200);
    /** A log line of up's logger at INFO or DEBUG, left out of what a failed start shows. */
    private static final Pattern QUIET_LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (INFO|DEBUG) .*");

    private DetachedUp() {
    }

    /**
     * Starts {@code nmstream up upArgs} (with {@code --detached}) on this JVM's Java, class path and options, and waits
     * until it is up: prints what it printed then and returns 0; or, when it ends first, prints what it said and returns
     * its exit code.
     */
    static int start(List<String> upArgs, Path dataDir, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        Path log = dataDir.resolve(LOG_FILE);
        if (!Files.exists(log)) {
            // it may hold the token up makes for the policy HTTP API
            Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        AppendedLines thisRun = new AppendedLines(log, Files.size(log));
        Process up = new ProcessBuilder(command(upArgs)).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
            log.toFile())).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (true) {
            List<String> lines = thisRun.read();
            int ready = lines.indexOf(READY);
            int last = ready < 0 ? -1 : indexOfLastLine(lines, ready);
            if (last >= 0) {
                lines.subList(ready, last + 1).forEach(out::println);
                out.println("Its log: " + log + " (pid " + up.pid() + ")");
                return 0;
            }
            if (!up.isAlive()) {
                lines.stream().filter(line -> !QUIET_LOG_LINE.matcher(line).matches()).forEach(err::println);
                err.println("nmstream up ended with exit code " + up.exitValue() + "; its log: " + log);
                return up.exitValue();
            }
            if (Instant.now().isAfter(deadline)) {
                up.destroy();
                err.println("nmstream up: not up within " + Durations.format(START_TIMEOUT) + "; stopped it; its log: " + log);
                return 1;
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static int indexOfLastLine(List<String> lines, int from) {
        for (int i = from; i < lines.size(); i++) {
            if (lines.get(i).startsWith(LAST_LINE)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * This JVM's command line for {@code nmstream up upArgs --detached}: the same Java, options and class path, in a
     * session of its own when {@code setsid} is there, so that closing the terminal does not stop it.
     */
    private static List<String> command(List<String> upArgs) {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // a class archive being recorded belongs to this command, and a debugger's port to one process
            if (!option.startsWith("-XX:ArchiveClassesAtExit") && !option.startsWith("-agentlib:jdwp")) {
                command.add(option);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NmstreamMain.class.getName());
        command.add("up");
        command.addAll(upArgs);
        command.add("--detached");
        return command;
    }
}
