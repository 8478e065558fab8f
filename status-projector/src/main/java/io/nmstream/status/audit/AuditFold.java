package io.nmstream.status.audit;

import io.nmstream.status.fold.StatusFold;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The status fold, offline, over an audit export: each JSON line is turned back into its policy, rollout or enactment
 * event and folded in the order of the file (the order the export was written in, which is the projector's fold order).
 */
public final class AuditFold {

    private AuditFold() {
    }

    /**
     * Folds every line of {@code input}; blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line number and the field of the first line that cannot be read; nothing
     *     is returned then
     */
    public static StatusFold fold(BufferedReader input) {
        StatusFold fold = new StatusFold();
        int lineNumber = 0;
        try {
            String line;
            while ((line = input.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    AuditRecord record = AuditRecords.fromJson(line);
                    if (AuditRecords.isPolicy(record)) {
                        fold.apply(AuditRecords.toPolicy(record));
                    } else if (AuditRecords.isRollout(record)) {
                        fold.apply(AuditRecords.toRollout(record));
                    } else {
                        fold.apply(AuditRecords.toEnactment(record));
                    }
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("line " + lineNumber + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the audit export failed at line " + (lineNumber + 1), e);
        }
        return fold;
    }
}
