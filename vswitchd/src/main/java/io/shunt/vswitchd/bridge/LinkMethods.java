package io.shunt.vswitchd.bridge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.vswitchd.link.LinkTransition;
import io.shunt.vswitchd.link.LinkView;
import io.shunt.vswitchd.mgmt.ManagementServer;
import io.shunt.vswitchd.mgmt.RpcError;
import java.io.IOException;

/**
 * Management methods of direct links (contract §4): {@code links} (optional {@code bridge}):
 * every link and every direct path without one, with state, age, per-direction state and
 * counters, last transition and error; {@code link-events} (optional {@code bridge},
 * {@code limit}, default 100): the last transitions, oldest first.
 */
public final class LinkMethods {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private final Bridges bridges;

    public LinkMethods(Bridges bridges) {
        this.bridges = bridges;
    }

    public void registerOn(ManagementServer server) {
        server.register("links", p -> {
            String only = bridgeParam(p);
            ObjectNode out = JSON.objectNode();
            ArrayNode list = out.putArray("links");
            for (Bridge b : bridges.all()) {
                if (only != null && !only.equals(b.name())) {
                    continue;
                }
                try {
                    for (LinkView v : b.links().links()) {
                        list.add(link(b.name(), v));
                    }
                } catch (IOException e) {
                    throw new RpcError(RpcError.INTERNAL_ERROR, e.getMessage());
                }
            }
            return out;
        });
        server.register("link-events", p -> {
            String only = bridgeParam(p);
            int limit = 100;
            if (p != null && p.hasNonNull("limit")) {
                if (!p.get("limit").canConvertToInt() || p.get("limit").asInt() < 1) {
                    throw new RpcError(RpcError.INVALID_PARAMS, "parameter 'limit' must be a positive integer");
                }
                limit = p.get("limit").asInt();
            }
            ObjectNode out = JSON.objectNode();
            ArrayNode list = out.putArray("events");
            for (Bridge b : bridges.all()) {
                if (only != null && !only.equals(b.name())) {
                    continue;
                }
                for (LinkTransition t : b.links().journal().last(limit)) {
                    ObjectNode n = transition(t);
                    n.put("bridge", b.name());
                    n.put("link", t.link());
                    list.add(n);
                }
            }
            return out;
        });
    }

    private String bridgeParam(ObjectNode p) throws RpcError {
        if (p == null || !p.hasNonNull("bridge")) {
            return null;
        }
        if (!p.get("bridge").isTextual()) {
            throw new RpcError(RpcError.INVALID_PARAMS, "parameter 'bridge' must be a string");
        }
        String name = p.get("bridge").asText();
        if (bridges.get(name) == null) {
            throw new RpcError(RpcError.INVALID_PARAMS, "no bridge named '" + name + "'");
        }
        return name;
    }

    static ObjectNode link(String bridge, LinkView v) {
        ObjectNode n = JSON.objectNode();
        if (v.name() == null) {
            n.putNull("name");
        } else {
            n.put("name", v.name());
        }
        n.put("bridge", bridge);
        n.put("generation", v.generation());
        n.put("pair", v.pair());
        n.put("state", v.state());
        n.put("age_ms", v.ageMillis());
        ArrayNode dirs = n.putArray("directions");
        for (LinkView.DirectionView d : v.directions()) {
            ObjectNode dn = dirs.addObject();
            dn.put("from", d.from());
            dn.put("to", d.to());
            dn.put("from_ofport", d.fromOfport());
            dn.put("to_ofport", d.toOfport());
            dn.put("state", d.state());
            dn.put("packets", d.packets());
            dn.put("bytes", d.bytes());
        }
        if (v.lastTransition() == null) {
            n.putNull("last_transition");
        } else {
            n.set("last_transition", transition(v.lastTransition()));
        }
        if (v.error() == null) {
            n.putNull("error");
        } else {
            n.put("error", v.error());
        }
        return n;
    }

    private static ObjectNode transition(LinkTransition t) {
        ObjectNode n = JSON.objectNode();
        n.put("from", t.from().name());
        n.put("to", t.to().name());
        n.put("reason", t.reason());
        n.put("at", t.at().toString());
        return n;
    }
}
