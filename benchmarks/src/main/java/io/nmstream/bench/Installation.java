package io.nmstream.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the bench finds the programs it runs besides itself (the node agent's jar, the launcher): under the directory the
 * {@value #HOME_PROPERTY} system property names (the launcher sets it to the repository it runs from), else under the
 * current directory or one of its parents.
 */
public final class Installation {

    /** The system property naming nmstream's directory. */
    public static final String HOME_PROPERTY = "nmstream.home";
    /** The launcher users run, {@code nmstream}. */
    public static final Path LAUNCHER = Path.of("bin", "nmstream");
    /** The node agent's jar, as the node-agent module builds it. */
    public static final Path AGENT_JAR = Path.of("node-agent", "target", "nmstream-agent.jar");

    private Installation() {
    }

    /** {@code given} when there is one, else {@code relative} under nmstream's directory, if that file exists. */
    public static Optional<Path> locate(Path given, Path relative) {
        if (given != null) {
            return Optional.of(given);
        }
        String home = System.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return existing(Path.of(home).resolve(relative));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Optional<Path> found = existing(dir.resolve(relative));
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> existing(Path file) {
        return Files.isRegularFile(file) ? Optional.of(file.toAbsolutePath().normalize()) : Optional.empty();
    }
}
