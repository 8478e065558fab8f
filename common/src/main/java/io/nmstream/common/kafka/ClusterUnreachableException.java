package io.nmstream.common.kafka;

/**
 * Kafka or the schema registry did not answer a one-shot command (nothing listens at the address, or Kafka did not answer
 * in time): the message names the address it tried and the setting that points there.
 */
public final class ClusterUnreachableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ClusterUnreachableException(String message) {
        super(message);
    }
}
