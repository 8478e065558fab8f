package io.nmstream.ingest.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.ingest.testing.Manifests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing under a manifest path is skipped silently: what cannot be read is a problem of the whole load. */
class ManifestFilesTest {

    private static final long LIMIT = 1L << 20;
    private static final String LOOP_OF_LINKS = " that leads back to itself (a loop of links)";

    @TempDir
    Path dir;

    private ManifestParser.Result load(Path... paths) {
        return new ManifestFiles(LIMIT, "ingest.manifest.max.bytes").load(List.of(paths));
    }

    private void write(String file, String text) throws IOException {
        Files.createDirectories(dir.resolve(file).getParent());
        Files.writeString(dir.resolve(file), text);
    }

    @Test
    void readsManifestsThroughSymbolicLinksToFilesAndDirectories(@TempDir Path elsewhere) throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        Files.writeString(elsewhere.resolve("b.yaml"), Manifests.ethernetMtu("b", 1500));
        Files.createDirectories(elsewhere.resolve("shared"));
        Files.writeString(elsewhere.resolve("shared/c.yml"), Manifests.ethernetMtu("c", 1500));
        Files.createSymbolicLink(dir.resolve("b.yaml"), elsewhere.resolve("b.yaml"));
        Files.createSymbolicLink(dir.resolve("shared"), elsewhere.resolve("shared"));

        ManifestParser.Result result = load(dir);

        assertThat(result.problems()).isEmpty();
        assertThat(result.policies()).extracting(PolicyManifest::name).containsExactly("a", "b", "c");
    }

    @Test
    void aDanglingLinkIsAProblemAndNothingIsLoaded() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        Files.createSymbolicLink(dir.resolve("b.yaml"), dir.resolve("gone.yaml"));

        ManifestParser.Result result = load(dir);

        assertThat(result.policies()).isEmpty();
        assertThat(result.problems()).extracting(ManifestProblem::message).containsExactly(dir.resolve("b.yaml")
            + ": is a dangling symbolic link: its target " + dir.resolve("gone.yaml") + " does not exist");
    }

    @Test
    void aLoopOfLinksAndALinkToAnEnclosingDirectoryAreProblems() throws IOException {
        write("a.yaml", Manifests.ethernetMtu("a", 1500));
        Files.createSymbolicLink(dir.resolve("ping.yaml"), dir.resolve("pong.yaml"));
        Files.createSymbolicLink(dir.resolve("pong.yaml"), dir.resolve("ping.yaml"));
        Files.createDirectories(dir.resolve("nested"));
        Files.createSymbolicLink(dir.resolve("nested/up"), dir);

        ManifestParser.Result result = load(dir);

        assertThat(result.policies()).isEmpty();
        assertThat(result.problems()).extracting(ManifestProblem::message).containsExactlyInAnyOrder(
            dir.resolve("nested/up") + ": is a symbolic link to a directory that contains it (a loop); it was not read",
            dir.resolve("ping.yaml") + ": is a symbolic link to " + dir.resolve("pong.yaml") + LOOP_OF_LINKS,
            dir.resolve("pong.yaml") + ": is a symbolic link to " + dir.resolve("ping.yaml") + LOOP_OF_LINKS);
    }

    @Test
    void aDanglingLinkGivenDirectlyIsNamedAsSuch() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("policy.yaml"), dir.resolve("moved.yaml"));

        assertThat(load(link).problems()).extracting(ManifestProblem::message)
            .containsExactly(link + ": is a dangling symbolic link: its target " + dir.resolve("moved.yaml") + " does not exist");
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedWithoutParsingIt() throws IOException {
        write("big.yaml", Manifests.ethernetMtu("big", 1500) + "#" + "x".repeat((int) LIMIT) + "\n");

        ManifestParser.Result result = load(dir);

        assertThat(result.problems()).extracting(ManifestProblem::message).singleElement().asString()
            .startsWith(dir.resolve("big.yaml") + ": is ")
            .endsWith(" bytes; a manifest may be at most 1 MiB (setting ingest.manifest.max.bytes)");
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedWithTheOffsetOfTheFirstBadByte() throws IOException {
        Files.write(dir.resolve("latin1.yaml"), ("# caf\u00e9\n" + Manifests.ethernetMtu("a", 1500)).getBytes(StandardCharsets.ISO_8859_1));

        assertThat(load(dir).problems()).extracting(ManifestProblem::message)
            .containsExactly(dir.resolve("latin1.yaml") + ": is not UTF-8 text: byte 0xe9 at offset 5 is not valid UTF-8");
    }

    @Test
    void anAliasIsResolvedAndNeverStoredAsItsName() throws IOException {
        write("a.yaml", """
            apiVersion: nmstate.io/v1
            kind: NodeNetworkConfigurationPolicy
            metadata:
              name: a
            spec:
              desiredState:
                interfaces:
                - name: eth1
                  type: ethernet
                  state: up
                  mtu: &mtu 9000
                - name: eth2
                  type: ethernet
                  state: up
                  mtu: *mtu
            """);

        ManifestParser.Result result = load(dir);

        assertThat(result.problems()).isEmpty();
        assertThat(result.policies().get(0).desiredState()).contains("\"mtu\":9000").doesNotContain("\"mtu\":\"mtu\"");
    }

    @Test
    void dashReadsTheStandardInputOnceAndNamesItInProblems() {
        byte[] piped = (Manifests.ethernetMtu("a", 1500) + "---\n" + Manifests.ethernetMtu("b", 9000)).getBytes(StandardCharsets.UTF_8);
        ManifestParser.Result result = new ManifestFiles(LIMIT, "ingest.manifest.max.bytes", new ByteArrayInputStream(piped))
            .load(List.of(Path.of("-")));

        assertThat(result.problems()).isEmpty();
        assertThat(result.policies()).extracting(PolicyManifest::name).containsExactly("a", "b");
        assertThat(result.policies()).extracting(PolicyManifest::source).containsOnly("stdin");

        byte[] invalid = Manifests.ethernetMtu("c", 70000).getBytes(StandardCharsets.UTF_8);
        assertThat(new ManifestFiles(LIMIT, "ingest.manifest.max.bytes", new ByteArrayInputStream(invalid))
            .load(List.of(Path.of("-"), Path.of("-"))).problems()).extracting(ManifestProblem::message).containsExactly(
                "stdin: is given more than once; it can be read once",
                "stdin document[0] spec.desiredState.interfaces[0].mtu: 70000 is not allowed: must be an integer from 68 to 65535");
    }

    @Test
    void standardInputOverTheSizeLimitIsRefused() {
        byte[] piped = Manifests.ethernetMtu("a", 1500).getBytes(StandardCharsets.UTF_8);
        ManifestParser.Result result = new ManifestFiles(100, "ingest.manifest.max.bytes", new ByteArrayInputStream(piped))
            .load(List.of(Path.of("-")));

        assertThat(result.policies()).isEmpty();
        assertThat(result.problems()).extracting(ManifestProblem::message).containsExactly(
            "stdin: is more than 100 bytes; a manifest may be at most 100 bytes (setting ingest.manifest.max.bytes)");
    }

    @Test
    void aNamedPipeIsReadAsAFileIs() throws Exception {
        Path fifo = dir.resolve("policies.yaml");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(fifo, Manifests.ethernetMtu("piped", 1500));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });

        ManifestParser.Result result = load(fifo);
        writer.join();

        assertThat(result.problems()).isEmpty();
        assertThat(result.policies()).extracting(PolicyManifest::name).containsExactly("piped");
    }
}
