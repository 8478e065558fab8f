package io.nmstream.executor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.executor.sandbox.NetworkManagerSandbox;
import io.nmstream.executor.sandbox.NetworkManagerSandboxExtension;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code nmstream node edit} as a user runs it, against a real NetworkManager (veth v5 of the sandbox), with a
 * non-interactive editor (sed), checked with {@code ip link} in the sandbox's namespace.
 */
@ExtendWith(NetworkManagerSandboxExtension.class)
class EditCommandNetworkManagerIT {

    private static final Pattern MTU = Pattern.compile("mtu (\\d+)");

    private final NetworkManagerSandbox sandbox;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    EditCommandNetworkManagerIT(NetworkManagerSandbox sandbox) {
        this.sandbox = sandbox;
    }

    private int edit(String sedScript, String... flags) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = new CommandLine(new NodeCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] args = new String[flags.length + 5];
        args[0] = "--bus-address=" + sandbox.busAddress();
        args[1] = "edit";
        args[2] = "v5";
        args[3] = "--editor";
        args[4] = sedScript.isEmpty() ? "true" : "sed -i " + sedScript;
        System.arraycopy(flags, 0, args, 5, flags.length);
        return cli.execute(args);
    }

    private int kernelMtu() {
        Matcher m = MTU.matcher(sandbox.ip("link", "show", "v5"));
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void anEditedMtuIsAppliedVerifiedAndInTheKernel() {
        int mtu = kernelMtu() == 4200 ? 4300 : 4200;
        assertThat(edit("-e 's/state: down/state: up/' -e 's/mtu: [0-9]*/mtu: " + mtu + "/' \"$1\"")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("interface v5:").contains("+ mtu: " + mtu).contains("Desired state applied and committed");
        assertThat(kernelMtu()).isEqualTo(mtu);
    }

    @Test
    void anUnchangedFileAppliesNothing() {
        String before = sandbox.ip("-d", "link", "show", "v5");
        assertThat(edit("")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("No changes.\n");
        assertThat(sandbox.ip("-d", "link", "show", "v5")).isEqualTo(before);
    }

    @Test
    void theStateAsReadBackFromNetworkManagerChangesNothingWhenSavedWithoutTheComments() {
        // the document NetworkManager's state was written as, parsed again, is that same state: nothing to apply
        String before = sandbox.ip("-d", "link", "show", "v5");
        assertThat(edit("'/^#/d' \"$1\"")).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo("No changes.\n");
        assertThat(sandbox.ip("-d", "link", "show", "v5")).isEqualTo(before);
    }

    @Test
    void aFileThatDoesNotParseFailsNamingThePathAndLeavesTheHostAsItWas() throws IOException {
        String before = sandbox.ip("-d", "link", "show", "v5");
        assertThat(edit("-e 's/state: down/state: up/' -e 's/mtu: [0-9]*/mtu: jumbo/' \"$1\"")).isEqualTo(1);
        assertThat(err.toString()).containsPattern("nmstream-edit-v5-\\S*\\.yaml: interfaces\\[0\\]\\.mtu: .*jumbo")
            .contains("Nothing was applied");
        assertThat(out.toString()).isEmpty();
        assertThat(sandbox.ip("-d", "link", "show", "v5")).isEqualTo(before);
        Matcher kept = Pattern.compile("your edit is kept in (\\S+)").matcher(err.toString());
        assertThat(kept.find()).isTrue();
        Files.delete(Path.of(kept.group(1)));
    }
}
