package io.nmstream.executor.apply;

import java.util.Locale;

/**
 * An apply that failed. {@link #userMessage()} says what failed in the user's terms (it becomes the enactment's
 * message); {@link #getMessage()} adds the context and step for logs.
 */
public class ApplyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ApplyContext context;
    private final ApplyStep step;
    private final String userMessage;
    private final String detail;
    private final boolean rolledBack;
    private final boolean retriable;

    public ApplyException(ApplyContext context, ApplyStep step, String userMessage, String detail, boolean rolledBack, boolean retriable,
                          Throwable cause) {
        super("[" + context + "] " + step.name().toLowerCase(Locale.ROOT) + " failed: " + userMessage
            + (rolledBack ? " (rolled back)" : ""), cause);
        this.context = context;
        this.step = step;
        this.userMessage = userMessage;
        this.detail = detail;
        this.rolledBack = rolledBack;
        this.retriable = retriable;
    }

    public ApplyContext context() {
        return context;
    }

    public ApplyStep step() {
        return step;
    }

    /** What failed, for the user: "Interface ens8f0np0: MTU 9000 exceeds the maximum supported by the driver". */
    public String userMessage() {
        return userMessage;
    }

    /** Technical detail (the network stack's error, the verification diff); may be null. */
    public String detail() {
        return detail;
    }

    /** Whether the host was rolled back to its state before the apply. */
    public boolean rolledBack() {
        return rolledBack;
    }

    /** Whether another attempt could succeed (false for a desired state that is invalid as written). */
    public boolean retriable() {
        return retriable;
    }
}
