package io.nmstream.ingest.publish;

import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.SourceKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Builds the audit metadata ({@link PolicySource}) of each channel. The origin of a file source is what {@code --prune}
 * compares: a policy is pruned only by the source that published it.
 */
public final class PolicySources {

    private PolicySources() {
    }

    /** Manifests applied from {@code path} (a file or directory); origin is {@code originOverride} or {@code file:<absolute path>}. */
    public static PolicySource files(Path path, String originOverride, String user, String client) {
        Path absolute = path.toAbsolutePath().normalize();
        String origin = originOverride == null || originOverride.isBlank() ? "file:" + absolute : originOverride;
        return PolicySource.newBuilder().setKind(SourceKind.FILE).setOrigin(origin).setUser(user).setClient(client)
            .setGitCommit(gitCommit(absolute).orElse(null)).build();
    }

    /** Manifests piped to the standard input; origin is {@code originOverride} or {@code stdin}. */
    public static PolicySource stdin(String originOverride, String user, String client) {
        String origin = originOverride == null || originOverride.isBlank() ? "stdin" : originOverride;
        return PolicySource.newBuilder().setKind(SourceKind.FILE).setOrigin(origin).setUser(user).setClient(client).build();
    }

    /** A command typed by a user (delete by name). */
    public static PolicySource cli(String user, String client) {
        return PolicySource.newBuilder().setKind(SourceKind.CLI).setOrigin("cli").setUser(user).setClient(client).build();
    }

    /** An HTTP request from {@code remoteAddress}. */
    public static PolicySource http(String remoteAddress, String user, String client) {
        return PolicySource.newBuilder().setKind(SourceKind.HTTP).setOrigin("http:" + remoteAddress).setUser(user).setClient(client)
            .build();
    }

    /** A NodeNetworkConfigurationPolicy object in a Kubernetes cluster. */
    public static PolicySource kubernetes(String name, String resourceVersion, String user) {
        return PolicySource.newBuilder().setKind(SourceKind.KUBERNETES).setOrigin("kubernetes:nodenetworkconfigurationpolicies/" + name)
            .setUser(user).setClient(resourceVersion == null || resourceVersion.isEmpty() ? null : "resourceVersion=" + resourceVersion)
            .build();
    }

    /** The commit checked out in the Git work tree containing {@code path}, read from {@code .git} without running git. */
    static Optional<String> gitCommit(Path path) {
        for (Path dir = Files.isDirectory(path) ? path : path.getParent(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (Files.isDirectory(git)) {
                return readHead(git);
            }
        }
        return Optional.empty();
    }

    private static Optional<String> readHead(Path git) {
        try {
            String head = Files.readString(git.resolve("HEAD"), StandardCharsets.UTF_8).trim();
            if (!head.startsWith("ref: ")) {
                return Optional.of(head);
            }
            String ref = head.substring("ref: ".length());
            Path loose = git.resolve(ref);
            if (Files.isRegularFile(loose)) {
                return Optional.of(Files.readString(loose, StandardCharsets.UTF_8).trim());
            }
            Path packed = git.resolve("packed-refs");
            if (Files.isRegularFile(packed)) {
                return Files.readAllLines(packed, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.endsWith(" " + ref)).map(line -> line.substring(0, line.indexOf(' '))).findFirst();
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
