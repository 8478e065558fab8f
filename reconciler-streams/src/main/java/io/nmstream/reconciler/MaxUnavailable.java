package io.nmstream.reconciler;

import io.nmstream.schemas.contract.ContractViolation;
import io.nmstream.schemas.contract.EventContract;

/**
 * A policy's {@code maxUnavailable}: how many of its matching nodes may be applying it at once, given either as a
 * positive whole number ({@code "3"}) or as a percentage of the matching nodes ({@code "10%"}), rounded up, never
 * less than one (the kubernetes-nmstate rule).
 *
 * @param amount the number, or the percentage when {@code percent} is true
 * @param percent whether {@code amount} is a percentage of the matching nodes
 */
public record MaxUnavailable(int amount, boolean percent) {

    /**
     * Parses the text of a policy's {@code maxUnavailable}.
     *
     * @throws ContractViolation naming the policy, the field and the value when the text is neither form (the rule is
     *     {@link EventContract#checkMaxUnavailable}, which every reader of policies applies)
     */
    public static MaxUnavailable parse(String policy, String text) {
        EventContract.checkMaxUnavailable(policy, text);
        String t = text.trim();
        boolean percent = t.endsWith("%");
        String digits = percent ? t.substring(0, t.length() - 1).trim() : t;
        return new MaxUnavailable(Integer.parseInt(digits), percent);
    }

    /** The number of nodes that may be unavailable at once when {@code matchingNodes} nodes match the policy. */
    public int limit(int matchingNodes) {
        if (!percent) {
            return amount;
        }
        long rounded = ((long) matchingNodes * amount + 99) / 100;
        return (int) Math.max(1, rounded);
    }

    /** Whether every matching node may be unavailable at once ({@code 100%}): a rollout then has nothing to hold back. */
    public boolean unlimited() {
        return percent && amount == 100;
    }

    @Override
    public String toString() {
        return percent ? amount + "%" : Integer.toString(amount);
    }
}
