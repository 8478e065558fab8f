package io.nmstream.reconciler.rollout;

import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.contract.ContractViolation.Rule;

/**
 * Checks a record of the rollout slot protocol before it can touch a slot: the reconciler writes every request and
 * lease keyed by the policy's name, for one of its node partitions, with the policy's uid (which a publisher may leave
 * empty, so only a missing one is refused) and counters that never go below zero. Anything else on those topics (a
 * tombstone, a record another client wrote) is set aside as a {@link ContractViolation} naming the field and the value.
 */
public final class SlotContract {

    private SlotContract() {
    }

    /** The request, if it is one a node partition of {@code partitions} could have sent. */
    public static SlotRequest checkRequest(String key, SlotRequest request, int partitions) {
        if (request == null) {
            throw new ContractViolation(Rule.SLOT, "Slot request keyed '" + key + "' has no value: the slot topics carry no tombstones");
        }
        check("Slot request", key, request.policy(), request.uid(), request.partition(), partitions);
        counter(key, "matched", request.matched());
        counter(key, "waiting", request.waiting());
        counter(key, "holding", request.holding());
        counter(key, "failures", request.failures());
        counter(key, "granted", request.granted());
        counter(key, "returned", request.returned());
        return request;
    }

    /** The lease, if it is one a rollout coordinator could have sent to a node partition of {@code partitions}. */
    public static SlotLease checkLease(String key, SlotLease lease, int partitions) {
        if (lease == null) {
            throw new ContractViolation(Rule.SLOT, "Slot lease keyed '" + key + "' has no value: the slot topics carry no tombstones");
        }
        check("Slot lease", key, lease.policy(), lease.uid(), lease.partition(), partitions);
        counter(key, "granted", lease.granted());
        counter(key, "limit", lease.limit());
        return lease;
    }

    private static void check(String kind, String key, String policy, String uid, int partition, int partitions) {
        if (key == null || !key.equals(policy)) {
            throw new ContractViolation(Rule.SLOT, kind + " keyed '" + key + "': field policy has value '" + policy
                + "'; it must equal the key");
        }
        if (uid == null) {
            throw new ContractViolation(Rule.SLOT, kind + " '" + key + "': field uid is missing; it names the policy's incarnation");
        }
        if (partition < 0 || partition >= partitions) {
            throw new ContractViolation(Rule.SLOT, kind + " '" + key + "': field partition has value " + partition
                + "; the reconciler's node partitions are 0 to " + (partitions - 1));
        }
    }

    private static void counter(String key, String field, long value) {
        if (value < 0) {
            throw new ContractViolation(Rule.SLOT, "Slot protocol record '" + key + "': field " + field + " has value " + value
                + "; it counts nodes or slots and cannot be negative");
        }
    }
}
