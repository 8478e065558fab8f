package io.nmstream.ingest.manifest;

import io.nmstream.common.config.ByteSizes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads manifests from files and directories as {@code kubectl apply -f} does: a directory contributes its
 * {@code .yaml}, {@code .yml} and {@code .json} files (recursively, following symbolic links, in name order), a file
 * contributes itself, and so does a pipe ({@code -f <(kustomize build)}); {@value #STDIN} reads the standard input
 * ({@code kustomize build | nmstream policy apply -f -}).
 *
 * <p>Nothing under a path is skipped silently: a file or directory that cannot be read, a symbolic link that leads
 * nowhere or back into its own directory, a file larger than the size limit or one that is not UTF-8 is a problem of
 * the load, so that a command never acts on part of a directory (and {@code --prune} never deletes a policy because its
 * file could not be read).
 */
public final class ManifestFiles {

    /** The path that stands for the standard input, as in kubectl. */
    public static final String STDIN = "-";
    /** The source named in the problems of manifests read from the standard input. */
    static final String STDIN_SOURCE = "stdin";

    private final ManifestParser parser = new ManifestParser();
    private final long maxFileBytes;
    private final String limitSetting;
    private final InputStream stdin;

    /**
     * @param maxFileBytes largest file read; larger ones are a problem
     * @param limitSetting the setting that sets the limit, named in the problem
     */
    public ManifestFiles(long maxFileBytes, String limitSetting) {
        this(maxFileBytes, limitSetting, System.in);
    }

    /** Reads {@value #STDIN} from {@code stdin}. */
    ManifestFiles(long maxFileBytes, String limitSetting, InputStream stdin) {
        this.maxFileBytes = maxFileBytes;
        this.limitSetting = limitSetting;
        this.stdin = stdin;
    }

    /** Whether {@code path} stands for the standard input. */
    public static boolean isStdin(Path path) {
        return path.toString().equals(STDIN);
    }

    /** Parses every manifest under {@code paths}; the policies are returned only if nothing under them has a problem. */
    public ManifestParser.Result load(List<Path> paths) {
        List<PolicyManifest> policies = new ArrayList<>();
        List<ManifestProblem> problems = new ArrayList<>();
        Map<String, String> firstSourceByName = new HashMap<>();
        for (Path file : expand(paths, problems)) {
            String source = isStdin(file) ? STDIN_SOURCE : file.toString();
            String text;
            try {
                text = isStdin(file) ? readStdin() : read(file);
            } catch (Unreadable e) {
                problems.add(ManifestProblem.ofSource(source, e.getMessage()));
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

    /** Why a file's text cannot be had. */
    private static final class Unreadable extends Exception {
        Unreadable(String reason) {
            super(reason, null, false, false);
        }
    }

    private String read(Path file) throws Unreadable {
        try {
            long size = Files.size(file);
            if (size > maxFileBytes) {
                throw tooLarge(size);
            }
            // a file may grow between the two looks, or be a pipe: never read more than the limit
            try (InputStream in = Files.newInputStream(file)) {
                return read(in);
            }
        } catch (IOException e) {
            throw new Unreadable("cannot be read: " + reason(e));
        }
    }

    /** The text of {@code in}, read up to one byte past the limit so that a larger one is refused without reading it all. */
    private String read(InputStream in) throws IOException, Unreadable {
        byte[] bytes = in.readNBytes((int) maxFileBytes + 1);
        if (bytes.length > maxFileBytes) {
            throw new Unreadable("is more than " + ByteSizes.format(maxFileBytes) + "; a manifest may be at most "
                + ByteSizes.format(maxFileBytes) + " (setting " + limitSetting + ")");
        }
        try {
            return ManifestText.decode(bytes);
        } catch (ManifestText.NotUtf8 e) {
            throw new Unreadable(e.getMessage());
        }
    }

    private String readStdin() throws Unreadable {
        try {
            return read(stdin);
        } catch (IOException e) {
            throw new Unreadable("cannot be read: " + reason(e));
        }
    }

    private Unreadable tooLarge(long size) {
        return new Unreadable("is " + size + " bytes; a manifest may be at most " + ByteSizes.format(maxFileBytes) + " (setting "
            + limitSetting + ")");
    }

    private static List<Path> expand(List<Path> paths, List<ManifestProblem> problems) {
        List<Path> files = new ArrayList<>();
        boolean stdinGiven = false;
        for (Path path : paths) {
            if (isStdin(path)) {
                if (stdinGiven) {
                    problems.add(ManifestProblem.ofSource(STDIN_SOURCE, "is given more than once; it can be read once"));
                } else {
                    files.add(path);
                }
                stdinGiven = true;
            } else if (Files.isDirectory(path)) {
                List<Path> found = new ArrayList<>();
                walk(path, found, problems);
                found.sort(null);
                files.addAll(found);
            } else if (Files.exists(path)) {
                // a regular file, or a pipe (process substitution, a named pipe)
                files.add(path);
            } else if (Files.isSymbolicLink(path)) {
                problems.add(ManifestProblem.ofSource(path.toString(), brokenLink(path)));
            } else {
                problems.add(ManifestProblem.ofSource(path.toString(), "must be an existing file or directory"));
            }
        }
        return files;
    }

    private static void walk(Path directory, List<Path> files, List<ManifestProblem> problems) {
        try {
            Files.walkFileTree(directory, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isSymbolicLink()) {
                        // followed links arrive with their target's attributes: this one's target cannot be reached
                        problems.add(ManifestProblem.ofSource(file.toString(), brokenLink(file)));
                    } else if (isManifest(file) && !attributes.isRegularFile()) {
                        problems.add(ManifestProblem.ofSource(file.toString(), "is neither a file nor a directory"));
                    } else if (isManifest(file)) {
                        files.add(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    String reason = e instanceof FileSystemLoopException
                        ? "is a symbolic link to a directory that contains it (a loop); it was not read"
                        : "cannot be read: " + reason(e);
                    problems.add(ManifestProblem.ofSource(file.toString(), reason));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (e != null) {
                        problems.add(ManifestProblem.ofSource(dir.toString(), "could not be read to its end: " + reason(e)));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            problems.add(ManifestProblem.ofSource(directory.toString(), "cannot be read: " + reason(e)));
        }
    }

    /** Why a symbolic link leads nowhere: a missing target, or links that lead to each other. */
    private static String brokenLink(Path link) {
        String target;
        try {
            target = Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            target = "?";
        }
        try {
            link.toRealPath();
            return "is a symbolic link to " + target + ", which cannot be read";
        } catch (NoSuchFileException e) {
            return "is a dangling symbolic link: its target " + target + " does not exist";
        } catch (FileSystemException e) {
            if (e.getReason() != null && e.getReason().toLowerCase(Locale.ROOT).contains("symbolic links")) {
                return "is a symbolic link to " + target + " that leads back to itself (a loop of links)";
            }
            return "is a symbolic link to " + target + ", which cannot be read: " + reason(e);
        } catch (IOException e) {
            return "is a symbolic link to " + target + ", which cannot be read: " + reason(e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static boolean isManifest(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json");
    }
}
