package io.nmstream.ingest.publish;

/** Kafka or the schema registry could not be reached (or the policies topic does not exist); nothing was published. */
public class ClusterUnavailableException extends RuntimeException {

    public ClusterUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
