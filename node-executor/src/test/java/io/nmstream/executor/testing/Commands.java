package io.nmstream.executor.testing;

import io.nmstream.nmstate.NmstateParser;
import io.nmstream.nmstate.NmstateWriter;
import io.nmstream.schemas.Digests;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import io.nmstream.schemas.avro.ProbeSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/** Desired-state commands as the reconciler issues them. */
public final class Commands {

    private Commands() {
    }

    /** An APPLY of {@code yaml} (turned into canonical JSON, with its digest) for one node. */
    public static DesiredStateCommand apply(String node, String policy, long generation, String yaml) {
        return build(node, policy, generation, yaml, CommandKind.APPLY, 60);
    }

    public static DesiredStateCommand build(String node, String policy, long generation, String yaml, CommandKind kind,
                                            int checkpointTimeoutSeconds) {
        String json = NmstateWriter.toJson(NmstateParser.parse(yaml));
        Instant now = Instant.now();
        return DesiredStateCommand.newBuilder()
            .setCommandId(UUID.randomUUID().toString())
            .setNode(node)
            .setPolicy(policy)
            .setGeneration(generation)
            .setKind(kind)
            .setDesiredState(json)
            .setDesiredStateDigest(Digests.sha256Hex(json))
            .setIssuedAt(now)
            .setDeadline(now.plus(Duration.ofMinutes(10)))
            .setProbes(ProbeSettings.newBuilder().build())
            .setCheckpointTimeoutSeconds(checkpointTimeoutSeconds)
            .build();
    }
}
