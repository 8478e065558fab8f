package io.nmstream.ingest.publish;

import io.nmstream.common.kafka.ReadTimeoutException;
import java.util.Optional;

/** Kafka or the schema registry could not be reached (or the policies topic does not exist); nothing was published. */
public class ClusterUnavailableException extends RuntimeException {

    private final transient ReadTimeoutException timedOut;

    public ClusterUnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param timedOut what ran out of time, when Kafka may only have been slow to answer */
    public ClusterUnavailableException(String message, Throwable cause, ReadTimeoutException timedOut) {
        super(message, cause);
        this.timedOut = timedOut;
    }

    /**
     * What was not read within the time given, when that is why: a command that then finds Kafka answering says so, and
     * which flag gives it longer, instead of calling it unreachable.
     */
    public Optional<ReadTimeoutException> timedOut() {
        return Optional.ofNullable(timedOut);
    }
}
