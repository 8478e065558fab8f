package io.nmstream.status.kubernetes;

import io.nmstream.schemas.avro.ResourceStatus;

/** The writes the status writer makes to the Kubernetes API: one status, or the removal of one object. */
interface NmstateApi {

    /**
     * Writes the status of one object. An NNCE or NNS not known to exist is created first (an existing one is fine), and
     * one that turns out to be gone is created again; an NNCP is written only when it exists (policies may come from Git
     * rather than from Kubernetes).
     *
     * @param knownToExist true when this writer wrote the object before, so that no creation is attempted
     * @return false when nothing was written because the NNCP does not exist
     * @throws ApiException when the API server refuses or fails
     */
    boolean writeStatus(ResourceStatus status, boolean knownToExist);

    /** Deletes an NNCE or NNS; an absent object is fine. NNCPs belong to their authors and are never deleted. */
    void delete(ResourceStatus status);

    /** A failed request; {@code retryable} for conflicts, throttling, server errors and timeouts. */
    final class ApiException extends RuntimeException {
        private final boolean retryable;

        ApiException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        boolean retryable() {
            return retryable;
        }
    }
}
