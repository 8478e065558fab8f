package io.nmstream.reconciler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The name a reconciler instance is known by in its consumer group (Kafka's static membership, {@code group.instance.id}).
 * A restarted instance that comes back under its old name takes its tasks back at once; under a new name it waits until
 * the old member's session expires (45 s by default), which after a {@code kill -9} held every rollout for that long.
 * The name is the {@code reconciler.instance.id} setting, or else one made up once and kept next to the instance's state
 * stores, which are what make it the same instance.
 */
final class ReconcilerInstanceId {

    private ReconcilerInstanceId() {
    }

    /** The configured name, or the one kept in the state directory (made and kept on first use). */
    static String of(ReconcilerConfig config) {
        if (!config.instanceId().isBlank()) {
            return config.instanceId();
        }
        Path file = config.stateDir().resolve(config.applicationId() + ".instance-id");
        try {
            Files.createDirectories(config.stateDir());
            try {
                Files.writeString(Files.createFile(file), config.applicationId() + "-" + UUID.randomUUID(), StandardCharsets.UTF_8);
            } catch (FileAlreadyExistsException kept) {
                // made by an earlier run of this instance
            }
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (id.isEmpty()) {
                throw new IllegalStateException("The reconciler's instance id file " + file + " is empty: delete it, or set "
                    + ReconcilerConfig.INSTANCE_ID.name());
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot keep the reconciler's instance id in " + file + " (setting "
                + ReconcilerConfig.STATE_DIR.name() + "): " + e.getMessage(), e);
        }
    }
}
