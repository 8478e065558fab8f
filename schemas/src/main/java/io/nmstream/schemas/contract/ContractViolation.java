package io.nmstream.schemas.contract;

import java.util.Locale;

/**
 * A record that decodes but breaks the event contract ({@link EventContract}): readers set it aside (dead letter,
 * metric, warning) instead of acting on it. Its message names the record, the field and the value.
 */
public final class ContractViolation extends RuntimeException {

    /** The rule a record broke; {@link #tag()} is its low-cardinality name for metrics. */
    public enum Rule {
        /** A key that is missing, or differs from the name the event carries. */
        KEY,
        /** A generation below 1, or lower than one the reader already holds for the same policy. */
        GENERATION,
        /** A desired-state digest that is not the SHA-256 of the desired state. */
        DIGEST,
        /** A state a node resolved from a policy's captures that is not an nmstate state (a JSON object). */
        STATE,
        /** An action, phase or command kind the reader does not know. */
        ACTION,
        /** A {@code maxUnavailable} that is neither a positive number nor a percentage from 1% to 100%. */
        MAX_UNAVAILABLE,
        /** An enactment or node state about a node the inventory (the nodes topic) has never had. */
        NODE,
        /**
         * A record of a node that has a key (its registration's Ed25519 public key) without a signature that verifies
         * against it, or a registration that claims another key: not sent by that node.
         */
        SIGNATURE,
        /**
         * A record on the reconciler's rollout slot topics that none of its partitions could have written: a tombstone, a
         * key other than the policy's name, a partition that does not exist, no uid, a negative count.
         */
        SLOT;

        /** The rule's name as a metric tag value, e.g. {@code max-unavailable}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Rule rule;

    public ContractViolation(Rule rule, String message) {
        super(message);
        this.rule = rule;
    }

    public Rule rule() {
        return rule;
    }
}
