package io.shunt.agent.driver;

import java.util.Objects;

/** A driver could not do what was asked; {@link #kind()} says which HTTP status the agent answers. */
public final class DriverException extends Exception {
    /** How a failure maps to the REST API. */
    public enum Kind {
        /** The VNF, port or device is not there (404). */
        NOT_FOUND(404),
        /** The device is plugged with another region (409). */
        CONFLICT(409),
        /** The hypervisor or host facility the driver needs cannot be reached (503). */
        UNAVAILABLE(503),
        /** The driver tried and failed (502). */
        FAILED(502);

        private final int httpStatus;

        Kind(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Kind kind;

    public DriverException(Kind kind, String message) {
        super(message);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public DriverException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
