package io.nmstream.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.nmstream.schemas.avro.PolicySource;
import io.nmstream.schemas.avro.SourceKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File sources record where manifests came from and, inside a Git work tree, the commit checked out. */
class PolicySourcesTest {

    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path repo;

    @Test
    void recordsTheCheckedOutCommitOfABranch() throws IOException {
        Files.createDirectories(repo.resolve(".git/refs/heads"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
        Files.writeString(repo.resolve(".git/refs/heads/main"), COMMIT + "\n");
        Files.createDirectories(repo.resolve("policies"));

        PolicySource source = PolicySources.files(repo.resolve("policies"), null, "alice", "cli");

        assertThat(source.getKind()).isEqualTo(SourceKind.FILE);
        assertThat(source.getOrigin()).isEqualTo("file:" + repo.resolve("policies").toAbsolutePath().normalize());
        assertThat(source.getGitCommit()).isEqualTo(COMMIT);
    }

    @Test
    void readsPackedRefsAndDetachedHeads() throws IOException {
        Files.createDirectories(repo.resolve(".git"));
        Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/release\n");
        Files.writeString(repo.resolve(".git/packed-refs"), "# pack-refs with: peeled\n" + COMMIT + " refs/heads/release\n");
        assertThat(PolicySources.gitCommit(repo)).hasValue(COMMIT);

        Files.writeString(repo.resolve(".git/HEAD"), COMMIT + "\n");
        assertThat(PolicySources.gitCommit(repo)).hasValue(COMMIT);
    }

    @Test
    void anExplicitOriginReplacesThePath() {
        assertThat(PolicySources.files(repo, "gitops:fleet-a", "alice", "cli").getOrigin()).isEqualTo("gitops:fleet-a");
    }
}
