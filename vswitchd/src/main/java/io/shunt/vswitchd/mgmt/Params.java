package io.shunt.vswitchd.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the named parameters of one request, with errors that name the parameter. */
final class Params {

    private final ObjectNode node;

    Params(ObjectNode node) {
        this.node = node;
    }

    String string(String name) throws RpcError {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "missing string parameter '" + name + "'");
        }
        return value.asText();
    }

    String optionalString(String name) throws RpcError {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "parameter '" + name + "' must be a string");
        }
        return value.asText();
    }

    boolean flag(String name) throws RpcError {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "parameter '" + name + "' must be true or false");
        }
        return value.asBoolean();
    }

    int integer(String name, int fallback) throws RpcError {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "parameter '" + name + "' must be an integer");
        }
        return value.asInt();
    }

    List<String> strings(String name) throws RpcError {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "parameter '" + name + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new RpcError(RpcError.INVALID_PARAMS, "parameter '" + name + "' must be an array of strings");
            }
            out.add(item.asText());
        }
        return out;
    }

    Map<String, String> stringMap(String name) throws RpcError {
        JsonNode value = node.get(name);
        Map<String, String> out = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "parameter '" + name + "' must be an object of strings");
        }
        for (var field : value.properties()) {
            if (!field.getValue().isTextual()) {
                throw new RpcError(RpcError.INVALID_PARAMS, "parameter '" + name + "." + field.getKey() + "' must be a string");
            }
            out.put(field.getKey(), field.getValue().asText());
        }
        return out;
    }
}
