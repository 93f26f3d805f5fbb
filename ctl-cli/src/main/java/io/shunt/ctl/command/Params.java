package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds the named parameters of a management request. */
final class Params {

    private Params() {
    }

    static ObjectNode of() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ObjectNode bridge(String bridge) {
        return of().put("bridge", bridge);
    }
}
