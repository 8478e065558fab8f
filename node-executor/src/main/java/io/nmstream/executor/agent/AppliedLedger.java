package io.nmstream.executor.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nmstream.schemas.avro.DesiredStateCommand;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this node has applied, per policy: the generation and the digest of its desired state, for a policy with
 * captures the state this node resolved from them, and what the interfaces it configures were before it. It makes
 * commands idempotent (the same generation again is only verified) and lets stale generations be recognised; the
 * resolved state is what a revert removes, since captures resolved again after the apply would read the changed host,
 * and the state before is what a revert restores. Kept in a small JSON file, written atomically, so that it survives
 * restarts; without a directory it lives in memory only.
 */
public final class AppliedLedger {

    /**
     * One policy's applied generation.
     *
     * @param generation policy generation applied
     * @param digest digest of the command's desired state (templates included)
     * @param commandId command that applied it
     * @param resolvedState canonical JSON of the state resolved from the policy's captures and applied; null without captures
     * @param resolvedDigest SHA-256 of {@code resolvedState}; null without captures
     * @param priorState nmstate JSON of this node's own interfaces the policy configures, as they were before its first
     *     generation here ({@link RevertPlanner#priorOf}), for a revert to restore; null when not recorded (ledgers
     *     written before it was)
     */
    public record Entry(long generation, String digest, String commandId, String resolvedState, String resolvedDigest,
                        String priorState) {

        /** Whether this entry records the generation and desired state {@code command} carries. */
        public boolean isOf(DesiredStateCommand command) {
            return generation == command.getGeneration() && digest.equals(command.getDesiredStateDigest());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private AppliedLedger(Path file) {
        this.file = file;
    }

    public static AppliedLedger inMemory() {
        return new AppliedLedger(null);
    }

    /** The ledger kept in {@code directory}/applied-policies.json, loaded if it exists. */
    public static AppliedLedger inDirectory(Path directory) {
        AppliedLedger ledger = new AppliedLedger(directory.resolve("applied-policies.json"));
        if (Files.exists(ledger.file)) {
            try {
                ledger.entries.putAll(JSON.readValue(ledger.file.toFile(), new TypeReference<Map<String, Entry>>() { }));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + ledger.file + ": " + e.getMessage(), e);
            }
        }
        return ledger;
    }

    public synchronized Optional<Entry> get(String policy) {
        return Optional.ofNullable(entries.get(policy));
    }

    public synchronized void record(String policy, Entry entry) {
        entries.put(policy, entry);
        save();
    }

    public synchronized void forget(String policy) {
        entries.remove(policy);
        save();
    }

    private void save() {
        if (file == null) {
            return;
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(tmp.toFile(), entries);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
