package io.nmstream.status.projector;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Verifies the node signatures of a poll's records on every core before the reader checks them one at a time, in order.
 *
 * <p>Verifying is most of what reading the inputs costs (an Ed25519 verification is ~80 us, decoding a record a few), and
 * the checks go one record at a time because a node's keys and the inventory are learnt as records come. A signature
 * that verifies against the keys its node has now verifies against its keys at any later check, as keys are never
 * revoked: such a record is remembered ({@link VerifiedSignatures}) and its check does not verify it again. A signature
 * that verifies only against a key the record itself introduces is not remembered (a record before it may introduce
 * the node's key first); verifying it still fills {@link io.nmstream.schemas.identity.NodeSignatures}' cache. A
 * signature that does not verify, or whose check fails, is left to the in-order check, which decides as it would
 * without this.
 *
 * <p>Uses the common fork-join pool: the verifications are short and CPU-bound, and the caller's thread works too.
 */
final class VerificationAhead {

    /**
     * A record to verify ahead.
     *
     * @param verifies checks the record's signature against the keys of the moment
     * @param remember whether a signature that verifies is remembered: true when it verified against its node's keys
     */
    record Candidate(ConsumerRecord<?, ?> record, BooleanSupplier verifies, boolean remember) {
    }

    private VerificationAhead() {
    }

    /** Verifies {@code candidates} in parallel, remembering in {@code verified} those that verify and may be remembered. */
    static void verify(List<Candidate> candidates, VerifiedSignatures verified) {
        if (candidates.size() < 2) {
            // nothing to share out: the check verifies it
            return;
        }
        candidates.parallelStream().forEach(candidate -> {
            try {
                if (candidate.verifies().getAsBoolean() && candidate.remember()) {
                    verified.add(candidate.record());
                }
            } catch (RuntimeException e) {
                // the record's own check meets the same failure, and sets the record aside with it
            }
        });
    }
}
