package io.nmstream.executor.apply;

/**
 * Who asked for an apply and why, carried into every log line and exception of it (as Strimzi's {@code Reconciliation}).
 *
 * @param node node applying
 * @param policy policy whose desired state it is; "-" for a state applied by hand
 * @param generation policy generation; 0 for a state applied by hand
 * @param commandId command being answered; "-" for a state applied by hand
 */
public record ApplyContext(String node, String policy, long generation, String commandId) {

    /** The context of {@code nmstream node apply FILE}. */
    public static ApplyContext manual(String node) {
        return new ApplyContext(node, "-", 0, "-");
    }

    @Override
    public String toString() {
        return "node " + node + ", policy " + policy + " generation " + generation + ", command " + commandId;
    }
}
