package io.nmstream.executor.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.nmstream.executor.testing.Commands;
import io.nmstream.nmstate.CanonicalForm;
import io.nmstream.schemas.avro.CommandKind;
import io.nmstream.schemas.avro.DesiredStateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Commands of policies with captures, as the reconciler issues them: the desired state keeps its templates (in its
 * canonical form, with its digest) and the command carries the policy's capture map. Policies come from the repository's
 * kubernetes-nmstate examples.
 */
final class CapturedCommands {

    /** The kubernetes-nmstate example: a linux bridge on the interface that holds the default gateway. */
    static final Path BRIDGE_ON_DEFAULT_GW = Path.of("..", "examples", "linux-bridge-on-default-gw.yaml");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private CapturedCommands() {
    }

    /** A command of the NNCP manifest in {@code example} (its spec.capture and spec.desiredState). */
    static DesiredStateCommand of(Path example, String node, long generation, CommandKind kind) {
        JsonNode manifest = read(example);
        Map<String, String> capture = new LinkedHashMap<>();
        manifest.at("/spec/capture").fields().forEachRemaining(e -> capture.put(e.getKey(), e.getValue().asText()));
        return of(manifest.at("/metadata/name").asText(), node, generation, kind, capture, manifest.at("/spec/desiredState"));
    }

    /** A command of {@code policy} with these captures and templated desired state. */
    static DesiredStateCommand of(String policy, String node, long generation, CommandKind kind, Map<String, String> capture,
                                  JsonNode desiredState) {
        String json = CanonicalForm.canonicalJson(desiredState);
        return DesiredStateCommand.newBuilder(Commands.build(node, policy, generation, "interfaces: []", kind, 60))
            .setDesiredState(json)
            .setDesiredStateDigest(CanonicalForm.sha256Hex(json))
            .setCapture(capture)
            .build();
    }

    /** The same command again, under a new command id (a redelivery or a reconciler restart). */
    static DesiredStateCommand again(DesiredStateCommand command) {
        return DesiredStateCommand.newBuilder(command).setCommandId(command.getCommandId() + "-again").build();
    }

    /** The same policy's command of another kind. */
    static DesiredStateCommand as(DesiredStateCommand command, CommandKind kind) {
        return DesiredStateCommand.newBuilder(command).setCommandId(command.getCommandId() + "-" + kind).setKind(kind).build();
    }

    private static JsonNode read(Path file) {
        try {
            return YAML.readTree(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
