package io.nmstream.common.config;

/** A setting is missing or its value cannot be used; the message names the setting, its variable and the value. */
public class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }
}
