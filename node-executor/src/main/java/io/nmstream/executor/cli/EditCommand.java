package io.nmstream.executor.cli;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.nmstate.InvalidStateException;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.nmstate.StateDiff;
import io.nmstream.nmstate.StateValidator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code nmstream node edit IFACE}, as {@code nmstatectl edit}: opens an editor on the interface's current state and
 * applies what the user saved, safely ({@link HostApply}, as {@code node apply} does), printing the diff it applies. An
 * unchanged or emptied file changes nothing; a file that does not parse is reopened with the problem on top when a
 * person is at the terminal, and otherwise changes nothing and fails.
 */
@Command(name = "edit", mixinStandardHelpOptions = true,
    description = "Edit an interface's current state (nmstate YAML) in an editor, then apply it safely.")
public final class EditCommand implements Callable<Integer> {

    @ParentCommand
    NodeCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "IFACE", description = "Interface to edit (with the routes through it).")
    String iface;

    @Option(names = "--editor", paramLabel = "COMMAND", defaultValue = "${env:EDITOR:-${env:VISUAL:-vi}}",
        description = "Editor to run on the file (default: $EDITOR, else $VISUAL, else vi; now ${DEFAULT-VALUE}).")
    String editor;

    @Option(names = "--no-reopen", description = "When the edited file does not parse, fail at once instead of reopening the editor.")
    boolean noReopen;

    @Mixin
    HostApply host;

    /** Whether a person is at the terminal who can fix a file that does not parse; tests stand in for one. */
    BooleanSupplier interactive = () -> System.console() != null;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String flagProblem = host.flagProblem();
        if (flagProblem != null) {
            err.println(flagProblem);
            return 2;
        }
        try (NetworkBackend backend = parent.backend()) {
            NetworkState current = backend.currentState();
            if (current.find(iface).isEmpty()) {
                err.println("Interface " + iface + " is not managed on this node");
                return 1;
            }
            Path file = Files.createTempFile("nmstream-edit-" + iface + "-", ".yaml");
            String written = header("Edit the state of " + iface + "; it is applied when you save and quit the editor.",
                "An unchanged or emptied file changes nothing.") + NmstateWriter.toYaml(editable(current));
            Files.writeString(file, written);
            Edit edit = edit(backend, file, written, err);
            if (edit.exitCode() != 0 || edit.desired() == null) {
                if (edit.exitCode() == 0) {
                    Files.delete(file);
                    out.println("No changes.");
                } else {
                    err.println("Nothing was applied; your edit is kept in " + file);
                }
                out.flush();
                return edit.exitCode();
            }
            Files.delete(file);
            return apply(backend, edit.desired(), out, err);
        } catch (BackendException e) {
            err.println(e.getMessage());
            return 1;
        }
    }

    /** What an edit ended as: the document to apply (null for none), or the exit code to stop with. */
    private record Edit(NetworkState desired, int exitCode) {
    }

    /**
     * Runs the editor until the file holds a document that makes sense against this host, or the user gave up (left the
     * file as it was, emptied it, or cannot be asked again).
     */
    private Edit edit(NetworkBackend backend, Path file, String written, PrintWriter err) throws IOException, InterruptedException {
        String offered = written;
        while (true) {
            int status = runEditor(file);
            if (status != 0) {
                err.println("Editor '" + editor + "' exited with status " + status);
                return new Edit(null, 1);
            }
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (text.equals(written)) {
                return new Edit(null, 0);
            }
            if (text.equals(offered)) {
                err.println(file + ": left as it was after the problem above");
                return new Edit(null, 1);
            }
            try {
                NetworkState desired = NmstateParser.parse(text);
                if (desired.isEmpty()) {
                    return new Edit(null, 0);
                }
                // a document that names a missing port or the like is as much the user's to fix as a typo
                StateValidator.validate(desired, backend.currentState());
                return new Edit(desired, 0);
            } catch (BackendException e) {
                // the host cannot be read now: the user's edit must not be lost with it
                err.println(e.getMessage());
                return new Edit(null, 1);
            } catch (InvalidStateException e) {
                err.println(file + ": " + e.getMessage());
                err.flush();
                if (noReopen || !interactive.getAsBoolean()) {
                    return new Edit(null, 1);
                }
                offered = header("This file was not applied: fix it, or empty it to cancel.", e.getMessage())
                    + withoutLeadingComments(text);
                Files.writeString(file, offered);
            }
        }
    }

    /** Applies the edited document through the apply pipeline, after printing what it changes. */
    private int apply(NetworkBackend backend, NetworkState desired, PrintWriter out, PrintWriter err) {
        NetworkState current = backend.currentState();
        String diff = StateDiff.ofApply(current, desired);
        if (diff.isEmpty()) {
            out.println("No changes.");
            out.flush();
            return 0;
        }
        out.print(diff);
        out.flush();
        return host.apply(backend, desired, out, err);
    }

    /**
     * The interface and the routes configured through it. DNS and kernel routes are the host's, not the interface's; the
     * MAC address is left out as {@code node capture} leaves it out, because written back it would pin the current MAC
     * into the profile as a cloned one (a user who wants another MAC adds the line).
     */
    private NetworkState editable(NetworkState current) {
        NetworkState only = current.only(List.of(iface));
        return new NetworkState(only.interfaces().stream().map(i -> i.toBuilder().macAddress(null).build()).toList(), only.routes(),
            List.of(), null);
    }

    /** Runs the editor as a shell would, so that "code --wait" or "emacs -nw" work as $EDITOR values. */
    private int runEditor(Path file) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", editor + " \"$1\"", "sh", file.toString()).inheritIO().start().waitFor();
    }

    private static String header(String... lines) {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            line.lines().forEach(l -> text.append("# ").append(l).append('\n'));
        }
        return text.toString();
    }

    private static String withoutLeadingComments(String text) {
        List<String> lines = text.lines().toList();
        int first = 0;
        while (first < lines.size() && lines.get(first).startsWith("#")) {
            first++;
        }
        return String.join("\n", lines.subList(first, lines.size())) + "\n";
    }
}
