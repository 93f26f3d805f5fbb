package io.shunt.p2p.model;

import java.util.Objects;

/**
 * One OpenFlow action, abstracted to what decides a direct path: an output (to a port or to
 * a reserved port such as {@link PortNumbers#CONTROLLER}) or something that makes the
 * packet's fate other than "leave unmodified on exactly one port".
 */
public sealed interface Action {

    /** {@code output:port}; {@code port} may be reserved (see {@link PortNumbers}). */
    record Output(int port) implements Action {
        @Override
        public String toString() {
            return "output:" + PortNumbers.format(port);
        }
    }

    /**
     * Any action that changes the packet: set-field, push/pop VLAN/MPLS/PBB, TTL
     * decrement or copy, and the like. {@code what} names it for logs.
     */
    record Modify(String what) implements Action {
        public Modify {
            Objects.requireNonNull(what, "what");
        }

        @Override
        public String toString() {
            return "modify:" + what;
        }
    }

    /** {@code group:groupId}. */
    record Group(int groupId) implements Action {
        @Override
        public String toString() {
            return "group:" + Integer.toUnsignedString(groupId);
        }
    }

    /** The OpenFlow 1.5 meter action (the 1.3 meter is an instruction, see {@link Instructions}). */
    record Meter(int meterId) implements Action {
        @Override
        public String toString() {
            return "meter:" + Integer.toUnsignedString(meterId);
        }
    }

    /** Anything else (set_queue, experimenter actions, ...). {@code what} names it for logs. */
    record Other(String what) implements Action {
        public Other {
            Objects.requireNonNull(what, "what");
        }

        @Override
        public String toString() {
            return what;
        }
    }
}
