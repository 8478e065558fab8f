package io.nmstream.ingest.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads manifests from files and directories as {@code kubectl apply -f} does: a directory contributes its
 * {@code .yaml}, {@code .yml} and {@code .json} files (recursively, in name order), a file contributes itself.
 */
public final class ManifestFiles {

    private final ManifestParser parser = new ManifestParser();

    /** Parses every manifest under {@code paths}; the policies are returned only if no file has a problem. */
    public ManifestParser.Result load(List<Path> paths) {
        List<PolicyManifest> policies = new ArrayList<>();
        List<ManifestProblem> problems = new ArrayList<>();
        Map<String, String> firstSourceByName = new HashMap<>();
        for (Path file : expand(paths, problems)) {
            String source = file.toString();
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                problems.add(new ManifestProblem(source, 0, "", null, "must be a readable file: " + e.getMessage()));
                continue;
            }
            ManifestParser.Result result = parser.parse(source, text);
            problems.addAll(result.problems());
            for (PolicyManifest policy : result.policies()) {
                String first = firstSourceByName.putIfAbsent(policy.name(), source);
                if (first != null) {
                    problems.add(new ManifestProblem(source, policy.document(), "metadata.name", "\"" + policy.name() + "\"",
                        "policy names must be unique; " + first + " already defines it"));
                }
                policies.add(policy);
            }
        }
        return problems.isEmpty() ? new ManifestParser.Result(policies, List.of()) : new ManifestParser.Result(List.of(), problems);
    }

    private static List<Path> expand(List<Path> paths, List<ManifestProblem> problems) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(Files::isRegularFile).filter(ManifestFiles::isManifest).sorted().forEach(files::add);
                } catch (IOException | UncheckedIOException e) {
                    problems.add(new ManifestProblem(path.toString(), 0, "", null, "must be a readable directory: " + e.getMessage()));
                }
            } else if (Files.isRegularFile(path)) {
                files.add(path);
            } else {
                problems.add(new ManifestProblem(path.toString(), 0, "", null, "must be an existing file or directory"));
            }
        }
        return files;
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
