package io.nmstream.nmstate;

import java.util.Set;

/**
 * What a desired state may contain besides plain values: in a policy, nmpolicy templates ({@code "{{ capture.eth0.interfaces.0
 * .ipv4.address }}"}) reading the policy's captures stand for any value, list or block, and are resolved on each node; on a
 * node, after resolution, a template left in the state is a problem.
 *
 * @param templates whether templates are allowed at all
 * @param captureNames the names of {@code spec.capture} that templates may read
 */
public record ParseOptions(boolean templates, Set<String> captureNames) {

    public ParseOptions {
        captureNames = Set.copyOf(captureNames);
    }

    /** A state to apply on a node: every template must have been resolved. */
    public static ParseOptions resolved() {
        return new ParseOptions(false, Set.of());
    }

    /** The desired state of a policy whose {@code spec.capture} defines {@code captureNames}. */
    public static ParseOptions policy(Set<String> captureNames) {
        return new ParseOptions(true, captureNames);
    }
}
