package io.shunt.vswitchd.link;

/** A plug or unplug that did not happen, with the reason in one sentence (and, without an agent, the manual command). */
public final class PlugException extends RuntimeException {
    public PlugException(String message) {
        super(message);
    }

    public PlugException(String message, Throwable cause) {
        super(message, cause);
    }
}
