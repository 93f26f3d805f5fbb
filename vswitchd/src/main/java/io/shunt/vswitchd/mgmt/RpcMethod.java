package io.shunt.vswitchd.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One method of the management socket: named parameters in, a JSON result out. */
@FunctionalInterface
public interface RpcMethod {
    JsonNode call(ObjectNode params) throws RpcError;
}
