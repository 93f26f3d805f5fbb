package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.projectfloodlight.openflow.types.OFPort;
import picocli.CommandLine.Command;

/**
 * show: the whole configuration as a tree, laid out like
 * {@code ovs-vsctl show}: bridges, their controllers, fail mode, datapath
 * id, trust domain and ports
 * with type, OpenFlow number and options; then switch-wide settings.
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Print the whole configuration as a tree (like ovs-vsctl show).",
        footer = {"", "Examples:", "  shunt-ctl show", "  shunt-ctl show --format json"})
public final class ShowCommand extends ReadCommand {

    public ShowCommand() {
        super("show");
    }

    @Override
    void printText(JsonNode config, PrintWriter out) {
        for (JsonNode bridge : config.path("bridges")) {
            out.println("Bridge " + bridge.path("name").asText());
            for (JsonNode controller : bridge.path("controllers")) {
                out.println("    Controller \"" + controller.asText() + "\"");
            }
            out.println("    fail_mode: " + bridge.path("failMode").asText());
            if (bridge.has("datapathId")) {
                out.println("    datapath_id: " + String.format("%016x", bridge.path("datapathId").asLong()));
            }
            if (bridge.has("trustDomain")) {
                out.println("    trust_domain: " + bridge.path("trustDomain").asText());
            }
            for (JsonNode port : bridge.path("ports")) {
                out.println("    Port " + port.path("name").asText());
                int ofport = port.path("ofport").asInt();
                // The bridge's LOCAL port (its internal port named like it) is stored as OFPP_LOCAL.
                out.println("        ofport: " + (ofport == OFPort.LOCAL.getPortNumber() ? "LOCAL"
                        : Integer.toUnsignedString(ofport)));
                out.println("        type: " + port.path("type").asText());
                JsonNode options = port.path("options");
                if (options.isObject() && !options.isEmpty()) {
                    List<String> pairs = new ArrayList<>();
                    options.properties().forEach(e -> pairs.add(e.getKey() + "=" + quoteIfNeeded(e.getValue().asText())));
                    pairs.sort(null);
                    out.println("        options: {" + String.join(", ", pairs) + "}");
                }
                if (port.has("directLinks") && !port.path("directLinks").asBoolean(true)) {
                    out.println("        direct_links: off");
                }
            }
        }
        JsonNode pmd = config.path("pmd");
        if (pmd.isObject()) {
            out.println("pmd: threads=" + pmd.path("threads").asInt() + " burst=" + pmd.path("burst").asInt()
                    + " spin_polls=" + pmd.path("spinPolls").asInt() + " yield_polls=" + pmd.path("yieldPolls").asInt()
                    + " park_micros=" + pmd.path("parkMicros").asInt());
        }
        if (config.has("directLinks")) {
            out.println("direct_links: " + (config.path("directLinks").asBoolean() ? "on" : "off"));
        }
    }

    private static String quoteIfNeeded(String value) {
        return value.matches("[A-Za-z0-9_.:/-]+") ? value : "\"" + value.replace("\"", "\\\"") + "\"";
    }
}
