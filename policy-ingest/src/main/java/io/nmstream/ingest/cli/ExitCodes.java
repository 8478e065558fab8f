package io.nmstream.ingest.cli;

/** The exit codes of the {@code policy} commands, which scripts and CI pipelines branch on. */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** The manifests, names or options were invalid; nothing was published. */
    public static final int INVALID_INPUT = 1;
    /** Kafka or the schema registry could not be reached; nothing was published. */
    public static final int UNAVAILABLE = 2;

    /** With {@code --wait}: a policy is Degraded (some nodes failed, or were aborted). */
    public static final int DEGRADED = 1;
    /** With {@code --wait}: the policies were not all Available in time. */
    public static final int TIMED_OUT = 2;

    /** {@code policy diff}: applying the manifests would change what is published (kubectl diff's 1). */
    public static final int DIFFERENCES_FOUND = 1;
    /** {@code policy diff}: nothing could be compared (invalid manifests or options, cluster unreachable): above 1, as kubectl diff. */
    public static final int DIFF_FAILED = 2;

    private ExitCodes() {
    }
}
