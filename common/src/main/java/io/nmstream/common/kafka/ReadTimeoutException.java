package io.nmstream.common.kafka;

import io.nmstream.common.config.Durations;
import java.time.Duration;

/**
 * A reader did not reach the end of what it reads within the time it was given: a cluster answering slowly, or more
 * history than the time allows. It is never taken for an empty or partial answer; a command says so in one line and
 * which flag gives it longer.
 */
public final class ReadTimeoutException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * @param what what was not read to its end, e.g. {@code Topic 'nmstream.status'}
     * @param timeout the time it had
     */
    public ReadTimeoutException(String what, Duration timeout) {
        super(what + " not read to its end within " + Durations.format(timeout));
    }

    /** The line a command prints: what was not read in what time, and which flag gives it longer. */
    public String advice() {
        return getMessage() + ": the cluster answers slowly, or there is more to read than that; give it longer with --timeout";
    }
}
