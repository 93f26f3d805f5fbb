package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.openflow.OpenFlowClient;
import io.shunt.ctl.output.Output;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFStatsReply;
import org.projectfloodlight.openflow.protocol.OFStatsRequest;
import picocli.CommandLine.Mixin;

/**
 * A command that talks OpenFlow 1.3 to one bridge: a change confirmed by a
 * barrier, or a multipart read printed as text or as a JSON array.
 */
abstract class OpenFlowCommand extends CtlCommand {

    @Mixin
    OpenFlowTarget bridge;

    /** Sends {@code message} and waits for the barrier behind it; an OFPT_ERROR it caused fails with exit 4. */
    void change(OFMessage message, String what) throws CtlFailure {
        try (OpenFlowClient client = bridge.connect(ctl)) {
            client.change(message, what);
        }
    }

    /** Sends a multipart request and gathers the entries of every reply part. */
    <R extends OFStatsReply, E> List<E> read(OFStatsRequest<R> request, Class<R> replyType, Function<R, List<E>> entries,
            String what) throws CtlFailure {
        List<E> all = new ArrayList<>();
        try (OpenFlowClient client = bridge.connect(ctl)) {
            for (R part : client.multipart(request, replyType, what)) {
                all.addAll(entries.apply(part));
            }
        }
        return all;
    }

    /** The text layout of a read's entries. */
    @FunctionalInterface
    interface TextLayout<E> {
        void print(List<E> entries, PrintWriter out);
    }

    /** Prints entries as a JSON array of {@code json(entry)} with --format json, else with {@code text}. */
    <E> void print(List<E> entries, Function<E, JsonNode> json, TextLayout<E> text) {
        Output output = ctl.output();
        if (output.json()) {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            entries.forEach(e -> list.add(json.apply(e)));
            output.printJson(list);
        } else {
            text.print(entries, output.writer());
        }
    }
}
