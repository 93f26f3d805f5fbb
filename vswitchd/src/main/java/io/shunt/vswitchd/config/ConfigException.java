package io.shunt.vswitchd.config;

/** The configuration could not be read, written or changed as asked. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
