package io.nmstream.embedded.registry;

/**
 * A request the embedded registry refuses, with the HTTP status and the Confluent error code it answers with.
 */
final class RegistryException extends RuntimeException {

    static final int SUBJECT_NOT_FOUND = 40401;
    static final int VERSION_NOT_FOUND = 40402;
    static final int SCHEMA_NOT_FOUND = 40403;
    static final int SUBJECT_SOFT_DELETED = 40404;
    static final int SUBJECT_NOT_SOFT_DELETED = 40405;
    static final int VERSION_SOFT_DELETED = 40406;
    static final int VERSION_NOT_SOFT_DELETED = 40407;
    static final int SUBJECT_LEVEL_NOT_CONFIGURED = 40408;
    static final int SUBJECT_MODE_NOT_CONFIGURED = 40409;
    static final int INCOMPATIBLE_SCHEMA = 409;
    static final int INVALID_SCHEMA = 42201;
    static final int INVALID_VERSION = 42202;
    static final int INVALID_COMPATIBILITY_LEVEL = 42203;
    static final int INVALID_MODE = 42204;
    static final int OPERATION_NOT_PERMITTED = 42205;
    static final int STORE_ERROR = 50001;

    private final int httpStatus;
    private final int errorCode;

    RegistryException(int httpStatus, int errorCode, String message) {
        super(message);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    RegistryException(int httpStatus, int errorCode, String message, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, SUBJECT_NOT_FOUND, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, String version) {
        return new RegistryException(404, VERSION_NOT_FOUND, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryException schemaNotFound(String detail) {
        return new RegistryException(404, SCHEMA_NOT_FOUND, detail);
    }

    static RegistryException notPermitted(String detail) {
        return new RegistryException(422, OPERATION_NOT_PERMITTED, detail);
    }

    static RegistryException invalidSchema(String detail) {
        return new RegistryException(422, INVALID_SCHEMA, detail);
    }

    int httpStatus() {
        return httpStatus;
    }

    int errorCode() {
        return errorCode;
    }
}
