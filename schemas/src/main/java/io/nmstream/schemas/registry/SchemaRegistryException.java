package io.nmstream.schemas.registry;

/**
 * A registry refused or failed a request; the message is written for the user and carries the registry's error code.
 */
public class SchemaRegistryException extends RuntimeException {

    /** Confluent error code: subject not found. */
    public static final int SUBJECT_NOT_FOUND = 40401;
    /** Confluent error code: version not found. */
    public static final int VERSION_NOT_FOUND = 40402;
    /** Confluent error code: schema not found. */
    public static final int SCHEMA_NOT_FOUND = 40403;
    /** Confluent error code: schema incompatible with an earlier version. */
    public static final int INCOMPATIBLE_SCHEMA = 409;
    /** Confluent error code: schema is not valid Avro. */
    public static final int INVALID_SCHEMA = 42201;
    /** Confluent error code: invalid compatibility level. */
    public static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    /** Confluent error code: operation not permitted (the registry or subject is in READONLY or IMPORT mode). */
    public static final int OPERATION_NOT_PERMITTED = 42205;

    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = -1;
        this.errorCode = -1;
    }

    /** HTTP status of the registry's answer, -1 when none came. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code of the registry's answer, -1 when none came. */
    public int errorCode() {
        return errorCode;
    }
}
