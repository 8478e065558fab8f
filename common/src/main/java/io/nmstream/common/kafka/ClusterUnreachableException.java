package io.nmstream.common.kafka;

/** Kafka did not answer a one-shot command in time: the message names the address it tried and what to check. */
public final class ClusterUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterUnreachableException(String message) {
        super(message);
    }
}
