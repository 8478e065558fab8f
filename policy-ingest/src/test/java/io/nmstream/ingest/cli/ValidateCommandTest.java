package io.nmstream.ingest.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.ingest.testing.CommandRun;
import io.nmstream.ingest.testing.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code policy validate} works offline on files and directories and reports every problem with its location. */
class ValidateCommandTest {

    @TempDir
    Path dir;

    @Test
    void validatesEveryManifestOfADirectory() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), Manifests.ethernetMtu("a", 1500));
        Files.createDirectories(dir.resolve("nested"));
        Files.writeString(dir.resolve("nested/b.yml"), Manifests.ethernetMtu("b", 9000));
        Files.writeString(dir.resolve("README.md"), "not a manifest");

        CommandRun run = CommandRun.policy("validate", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/a valid",
            "nodenetworkconfigurationpolicy.nmstate.io/b valid");
    }

    @Test
    void reportsEveryProblemWithFileDocumentPathAndValueAndExitsWithInvalidInput() throws IOException {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, Manifests.ethernetMtu("good", 1500) + "---\n" + Manifests.ethernetMtu("bad", 70000)
            .replace("name: bad", "name: Bad_Name-"));

        CommandRun run = CommandRun.policy("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains(file + " document[1] spec.desiredState.interfaces[0].mtu: 70000 is not allowed: "
            + "must be an integer from 68 to 65535");
        assertThat(run.err()).contains(file + " document[1] metadata.name: \"Bad_Name-\" is not allowed");
    }

    @Test
    void refusesWhatANodeCouldNotApplyWithInvalidInput() throws IOException {
        Path file = dir.resolve("typos.yaml");
        Files.writeString(file, Manifests.ethernetMtu("Bad_Name", 1400).replace("mtu: 1400", "mtuu: 1400") + "---\n"
            + Manifests.ethernetMtu("team", 1500).replace("type: ethernet", "type: team"));

        CommandRun run = CommandRun.policy("validate", file.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains(file + " document[0] metadata.name: \"Bad_Name\" is not allowed: must be an RFC 1123 subdomain",
            file + " document[0] spec.desiredState.interfaces[0].mtuu: \"mtuu\" is not allowed: unknown field of an interface; "
                + "did you mean mtu?",
            file + " document[1] spec.desiredState.interfaces[0].type: \"team\" is not allowed: "
                + "interface type team is not supported by nmstream");
    }

    @Test
    void aMissingFileIsInvalidInput() {
        CommandRun run = CommandRun.policy("validate", dir.resolve("missing.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("must be an existing file or directory");
    }

    @Test
    void aFileOverTheSizeSettingIsRefusedNamingTheSetting() throws IOException {
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, Manifests.ethernetMtu("big", 1500) + "#" + "x".repeat(2048) + "\n");

        CommandRun refused = CommandRun.policy("validate", "--set", "ingest.manifest.max.bytes=1KiB", file.toString());
        CommandRun allowed = CommandRun.policy("validate", "--set", "ingest.manifest.max.bytes=4KiB", file.toString());

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(refused.err()).contains(file + ": is ").contains(" bytes; a manifest may be at most 1 KiB (setting "
            + "ingest.manifest.max.bytes)");
        assertThat(allowed.exitCode()).as(allowed.err()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void aDanglingLinkInADirectoryIsInvalidInputNotSkipped() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), Manifests.ethernetMtu("a", 1500));
        Files.createSymbolicLink(dir.resolve("b.yaml"), dir.resolve("deleted.yaml"));

        CommandRun run = CommandRun.policy("validate", dir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains(dir.resolve("b.yaml") + ": is a dangling symbolic link");
    }

    @Test
    void anUnknownOptionIsInvalidInput() {
        assertThat(CommandRun.policy("validate", "--frobnicate", "x").exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
    }

    @Test
    void manifestsAreTakenWithMinusFAsApplyTakesThemToo() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), Manifests.ethernetMtu("a", 1500));
        Files.writeString(dir.resolve("b.yaml"), Manifests.ethernetMtu("b", 9000));

        CommandRun run = CommandRun.policy("validate", "-f", dir.resolve("a.yaml").toString(), "--filename",
            dir.resolve("b.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("nodenetworkconfigurationpolicy.nmstate.io/a valid",
            "nodenetworkconfigurationpolicy.nmstate.io/b valid");
    }

    @Test
    void noManifestAtAllIsInvalidInput() {
        CommandRun run = CommandRun.policy("validate");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_INPUT);
        assertThat(run.err()).contains("Missing the manifests: give FILE|DIR... or -f FILE|DIR (- for the standard input)");
    }
}
