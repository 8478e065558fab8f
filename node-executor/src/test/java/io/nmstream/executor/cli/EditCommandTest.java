package io.nmstream.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.executor.backend.BackendException;
import io.nmstream.executor.backend.Checkpoint;
import io.nmstream.executor.backend.ForwardingBackend;
import io.nmstream.executor.backend.NetworkBackend;
import io.nmstream.executor.simulated.FailureRules;
import io.nmstream.executor.simulated.SimulatedBackend;
import io.nmstream.nmstate.NetworkState;
import io.nmstream.nmstate.NmstateParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code nmstream node edit IFACE} against a simulated host, with editors that are small shell scripts: each run copies
 * the file it was given to {@code seen-N.yaml}, then changes it as a user would.
 */
class EditCommandTest {

    /** The ports are down on the simulated host, and a down interface's other settings are not applied (as in nmstate). */
    private static final String UP_WITH_MTU_9000 = "sed -i -e 's/state: down/state: up/' -e 's/mtu: 1500/mtu: 9000/' \"$1\"";

    private SimulatedBackend host;
    private final AtomicInteger checkpointsCreated = new AtomicInteger();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private boolean atTerminal;

    @TempDir
    Path dir;

    /** Removes the edits a failed run kept for the user. */
    @AfterEach
    void removeKeptEdits() throws IOException {
        Matcher kept = Pattern.compile("your edit is kept in (\\S+)").matcher(err.toString());
        while (kept.find()) {
            Files.deleteIfExists(Path.of(kept.group(1)));
        }
    }

    @BeforeEach
    void host() {
        host = new SimulatedBackend(SimulatedBackend.typicalHost(7), Duration.ZERO, FailureRules.none().withMaxMtu("ens8f1np1", 1500));
    }

    private int run(String... args) {
        Path stopped = dir.resolve("nm-stopped");
        CommandLine cli = new CommandLine(new NodeCommand(bus -> new CountingCheckpoints(host, checkpointsCreated, stopped)));
        ((EditCommand) cli.getSubcommands().get("edit").getCommand()).interactive = () -> atTerminal;
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    /** An editor that runs {@code steps[n]} (shell, the file is "$1") on its n-th run, and nothing after the last one. */
    private String editor(String... steps) throws IOException {
        StringBuilder script = new StringBuilder("#!/bin/sh\nn=$(cat \"" + dir.resolve("runs") + "\" 2>/dev/null || echo 0)\n")
            .append("cp \"$1\" \"").append(dir).append("/seen-$n.yaml\"\n")
            .append("echo $((n + 1)) > \"").append(dir.resolve("runs")).append("\"\n")
            .append("case $n in\n");
        for (int i = 0; i < steps.length; i++) {
            script.append("  ").append(i).append(") ").append(steps[i]).append(" ;;\n");
        }
        script.append("esac\n");
        Path editor = dir.resolve("editor.sh");
        Files.writeString(editor, script);
        assertThat(editor.toFile().setExecutable(true)).isTrue();
        return editor.toString();
    }

    private int editorRuns() throws IOException {
        Path runs = dir.resolve("runs");
        return Files.exists(runs) ? Integer.parseInt(Files.readString(runs).strip()) : 0;
    }

    private String seen(int run) throws IOException {
        return Files.readString(dir.resolve("seen-" + run + ".yaml"));
    }

    @Test
    void opensTheInterfacesCurrentStateWithItsRoutesAndAppliesTheEditPrintingTheDiff() throws IOException {
        assertThat(run("edit", "eth0", "--editor", editor("sed -i 's/mtu: 1500/mtu: 9000/' \"$1\""))).as(err.toString()).isZero();

        NetworkState offered = NmstateParser.parse(seen(0));
        assertThat(offered.interfaces()).extracting(i -> i.name()).containsExactly("eth0");
        assertThat(offered.routes()).extracting(r -> r.destination()).containsExactly("0.0.0.0/0", "::/0");
        assertThat(offered.dns()).as("DNS is the host's, not eth0's").isNull();
        assertThat(offered.find("eth0").orElseThrow().macAddress()).as("written back, it would pin the MAC").isNull();
        assertThat(out.toString()).contains("interface eth0:").contains("- mtu: 1500").contains("+ mtu: 9000")
            .contains("Desired state applied and committed");
        assertThat(host.currentState().find("eth0").orElseThrow().mtu()).isEqualTo(9000);
        assertThat(host.checkpoints()).isEmpty();
        assertThat(checkpointsCreated).hasValue(1);
    }

    @Test
    void anUnchangedFileChangesNothing() throws IOException {
        NetworkState before = host.currentState();
        assertThat(run("edit", "ens8f0np0", "--editor", editor("true"))).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("No changes.\n");
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void aFileRewrittenWithTheSameStateChangesNothing() throws IOException {
        // the user only removed the comments and reformatted: the document is the same
        assertThat(run("edit", "ens8f0np0", "--editor", editor("sed -i -e '/^#/d' -e 's/mtu: 1500/mtu: 1500 # unchanged/' \"$1\"")))
            .as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("No changes.\n");
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void anEmptiedFileChangesNothing() throws IOException {
        NetworkState before = host.currentState();
        assertThat(run("edit", "ens8f0np0", "--editor", editor(": > \"$1\""))).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("No changes.\n");
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void withoutATerminalAFileThatDoesNotParseFailsWithTheParsersMessageAndKeepsTheEdit() throws IOException {
        NetworkState before = host.currentState();
        assertThat(run("edit", "ens8f0np0", "--editor", editor("sed -i 's/mtu: 1500/mtu: huge/' \"$1\""))).isEqualTo(1);

        assertThat(err.toString())
            .containsPattern("nmstream-edit-ens8f0np0-\\S*\\.yaml: interfaces\\[0\\]\\.mtu: .*huge")
            .contains("Nothing was applied; your edit is kept in");
        assertThat(out.toString()).isEmpty();
        assertThat(editorRuns()).isEqualTo(1);
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void atATerminalAFileThatDoesNotParseIsReopenedWithTheProblemOnTopUntilItDoes() throws IOException {
        atTerminal = true;
        String editor = editor("sed -i 's/mtu: 1500/mtu: huge/' \"$1\"",
            "sed -i -e 's/state: down/state: up/' -e 's/mtu: huge/mtu: 9000/' \"$1\"");
        assertThat(run("edit", "ens8f0np0", "--editor", editor)).as(err.toString()).isZero();

        assertThat(editorRuns()).isEqualTo(2);
        // the parser's own words, whatever they are, name the path and the value
        assertThat(seen(1)).startsWith("# This file was not applied: fix it, or empty it to cancel.\n# interfaces[0].mtu: ")
            .containsPattern("# interfaces\\[0\\]\\.mtu: .*huge.*\n").contains("  mtu: huge\n");
        assertThat(err.toString()).containsPattern("interfaces\\[0\\]\\.mtu: .*huge");
        assertThat(out.toString()).contains("+ mtu: 9000").contains("Desired state applied and committed");
        assertThat(host.currentState().find("ens8f0np0").orElseThrow().mtu()).isEqualTo(9000);
    }

    @Test
    void atATerminalAReopenedFileLeftAsItWasEndsTheEditWithNothingApplied() throws IOException {
        atTerminal = true;
        NetworkState before = host.currentState();
        assertThat(run("edit", "ens8f0np0", "--editor", editor("sed -i 's/mtu: 1500/mtu: huge/' \"$1\"", "true"))).isEqualTo(1);
        assertThat(editorRuns()).isEqualTo(2);
        assertThat(err.toString()).contains("left as it was").contains("Nothing was applied");
        assertThat(host.currentState()).isEqualTo(before);
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void noReopenFailsAtOnceEvenAtATerminal() throws IOException {
        atTerminal = true;
        assertThat(run("edit", "ens8f0np0", "--no-reopen", "--editor", editor("sed -i 's/mtu: 1500/mtuu: 9000/' \"$1\""))).isEqualTo(1);
        assertThat(editorRuns()).isEqualTo(1);
        assertThat(err.toString()).contains("interfaces[0].mtuu");
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void anEditThatDoesNotFitTheHostIsTreatedAsOneThatDoesNotParse() throws IOException {
        String edit = "sed -i -e 's/state: down/state: up/' "
            + "-e 's/type: ethernet/type: bond\\n  link-aggregation: {mode: active-backup, port: [nope9]}/' \"$1\"";
        assertThat(run("edit", "ens8f0np0", "--editor", editor(edit))).isEqualTo(1);
        assertThat(err.toString()).contains("nope9").contains("Nothing was applied");
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void aChangeTheHostRefusesIsRolledBackAndReportedAsNodeApplyDoes() throws IOException {
        NetworkState before = host.currentState();
        assertThat(run("edit", "ens8f1np1", "--editor", editor(UP_WITH_MTU_9000))).isEqualTo(1);
        assertThat(out.toString()).contains("+ mtu: 9000");
        assertThat(err.toString())
            .contains("Apply failed at apply: Interface ens8f1np1: MTU 9000 exceeds the maximum supported by the driver")
            .contains("(the host was rolled back)");
        assertThat(host.currentState()).isEqualTo(before);
    }

    @Test
    void anEditorThatFailsChangesNothing() throws IOException {
        assertThat(run("edit", "ens8f0np0", "--editor", editor(UP_WITH_MTU_9000 + "; exit 3"))).isEqualTo(1);
        assertThat(err.toString()).contains("exited with status 3").contains("Nothing was applied");
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void anEditIsKeptWhenTheHostCannotBeReadAfterTheEditor() throws IOException {
        String edit = UP_WITH_MTU_9000 + "; touch \"" + dir.resolve("nm-stopped") + "\"";
        assertThat(run("edit", "ens8f0np0", "--editor", editor(edit))).isEqualTo(1);
        assertThat(err.toString()).contains("NetworkManager is not running").contains("Nothing was applied; your edit is kept in");
        Matcher kept = Pattern.compile("your edit is kept in (\\S+)").matcher(err.toString());
        assertThat(kept.find()).isTrue();
        assertThat(Files.readString(Path.of(kept.group(1)))).contains("mtu: 9000");
        assertThat(checkpointsCreated).hasValue(0);
    }

    @Test
    void anInterfaceTheHostDoesNotHaveIsNotOpened() throws IOException {
        assertThat(run("edit", "nope0", "--editor", editor("true"))).isEqualTo(1);
        assertThat(err.toString()).contains("Interface nope0 is not managed on this node");
        assertThat(editorRuns()).isZero();
    }

    @Test
    void theEditorDefaultsToEditorThenVisualThenVi() {
        CommandLine cli = new CommandLine(new NodeCommand(bus -> host));
        String expected = System.getenv("EDITOR") != null ? System.getenv("EDITOR")
            : System.getenv("VISUAL") != null ? System.getenv("VISUAL") : "vi";
        assertThat(cli.getSubcommands().get("edit").getCommandSpec().findOption("--editor").defaultValue()).isEqualTo(expected);
    }

    /**
     * The host, with a count of the checkpoints created on it (an apply that happened leaves no other trace once
     * committed); it stops answering once {@code stopped} exists, as NetworkManager does while it restarts.
     */
    private static final class CountingCheckpoints extends ForwardingBackend {
        private final AtomicInteger created;
        private final Path stopped;

        CountingCheckpoints(NetworkBackend host, AtomicInteger created, Path stopped) {
            super(host);
            this.created = created;
            this.stopped = stopped;
        }

        @Override
        public NetworkState currentState() {
            if (Files.exists(stopped)) {
                throw new BackendException("NetworkManager is not running");
            }
            return host.currentState();
        }

        @Override
        public Checkpoint createCheckpoint(Duration rollbackTimeout) {
            created.incrementAndGet();
            return host.createCheckpoint(rollbackTimeout);
        }

        @Override
        public void close() {
        }
    }
}

