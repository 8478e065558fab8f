package io.nmstream.executor.backend;

/**
 * A failure of the host's network stack, told in the user's terms ("Interface ens8f0np0: MTU 9000 exceeds the maximum
 * supported by the driver"), with the technical detail kept apart for the audit log.
 */
public class BackendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String detail;
    private final boolean permanent;

    public BackendException(String message, String detail, Throwable cause) {
        this(message, detail, false, cause);
    }

    /** @param permanent true when the host cannot do this at all (another attempt would fail the same way) */
    public BackendException(String message, String detail, boolean permanent, Throwable cause) {
        super(message, cause);
        this.detail = detail;
        this.permanent = permanent;
    }

    public BackendException(String message) {
        this(message, null, null);
    }

    /** The underlying error as the network stack reported it; null when the message says it all. */
    public String detail() {
        return detail;
    }

    /** Whether the host lacks the capability altogether ("Operation not supported"), so that retrying is pointless. */
    public boolean permanent() {
        return permanent;
    }
}
