package io.nmstream.reconciler.errors;

/**
 * An input record the reconciler cannot act on (a poison record): its message names the field and the value. It is
 * thrown before any state changes, so the processing exception handler can send the record to the dead-letter topic
 * and carry on.
 */
public class InvalidRecordException extends RuntimeException {

    public InvalidRecordException(String message) {
        super(message);
    }
}
