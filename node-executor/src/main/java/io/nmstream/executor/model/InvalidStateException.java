package io.nmstream.executor.model;

/** A desired state that cannot be applied as written; the message names the field and the value at fault. */
public class InvalidStateException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InvalidStateException(String message) {
        super(message);
    }
}
