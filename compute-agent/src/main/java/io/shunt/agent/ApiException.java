package io.shunt.agent;

/** A request the agent answers with an error: an HTTP status and one clear sentence. */
public final class ApiException extends Exception {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
