package io.shunt.vswitchd.link;

/** A plug or unplug that did not happen, with the reason in one sentence (and, without an agent, the manual command). */
public final class PlugException extends RuntimeException {
    private final boolean operatorAction;

    public PlugException(String message) {
        this(message, false);
    }

    /** {@code operatorAction}: nobody plugs automatically; the message says what the operator must run. */
    public PlugException(String message, boolean operatorAction) {
        super(message);
        this.operatorAction = operatorAction;
    }

    public boolean operatorAction() {
        return operatorAction;
    }

    public PlugException(String message, Throwable cause) {
        super(message, cause);
        this.operatorAction = false;
    }
}
