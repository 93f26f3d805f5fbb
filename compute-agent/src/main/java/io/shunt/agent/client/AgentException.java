package io.shunt.agent.client;

import java.io.IOException;

/**
 * The compute agent refused or could not be asked. Each subclass is one kind of answer, so
 * that the link manager can decide: {@link Unreachable}, {@link DriverFailure} and
 * {@link NotFound} (the VNF is not there yet) are worth a retry with back-off;
 * {@link Conflict} means the device is plugged with another region; {@link BadRequest},
 * {@link Unauthorized} and {@link Protocol} are configuration or programming errors.
 * The message is the agent's own sentence, prefixed with the request.
 */
public abstract sealed class AgentException extends IOException {
    private final int status;
    private final String agentMessage;

    AgentException(String request, int status, String agentMessage, Throwable cause) {
        super(request + ": " + (status > 0 ? "HTTP " + status + ": " : "") + agentMessage, cause);
        this.status = status;
        this.agentMessage = agentMessage;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The agent's {@code error} sentence (or what went wrong on the way). */
    public String agentMessage() {
        return agentMessage;
    }

    /** 400: the request was malformed, or the region is not a readable link region. */
    public static final class BadRequest extends AgentException {
        public BadRequest(String request, String message) {
            super(request, 400, message, null);
        }
    }

    /** 401: missing or wrong token. */
    public static final class Unauthorized extends AgentException {
        public Unauthorized(String request, String message) {
            super(request, 401, message, null);
        }
    }

    /** 404: no live VNF owns the port, or the device is not plugged. */
    public static final class NotFound extends AgentException {
        public NotFound(String request, String message) {
            super(request, 404, message, null);
        }
    }

    /** 409: the device is plugged to another region. */
    public static final class Conflict extends AgentException {
        public Conflict(String request, String message) {
            super(request, 409, message, null);
        }
    }

    /** 5xx: the driver (or the hypervisor behind it) failed; the message says what. */
    public static final class DriverFailure extends AgentException {
        public DriverFailure(String request, int status, String message) {
            super(request, status, message, null);
        }
    }

    /** No answer: connection refused, timed out, interrupted. */
    public static final class Unreachable extends AgentException {
        public Unreachable(String request, String message, Throwable cause) {
            super(request, 0, message, cause);
        }
    }

    /** An answer this client does not understand (unexpected status or body). */
    public static final class Protocol extends AgentException {
        public Protocol(String request, int status, String message) {
            super(request, status, message, null);
        }
    }
}
