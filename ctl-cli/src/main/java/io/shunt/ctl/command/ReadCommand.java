package io.shunt.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shunt.ctl.CtlFailure;
import io.shunt.ctl.output.Output;
import java.io.PrintWriter;

/**
 * A command that reads one management method and prints its result: as
 * text by {@link #printText}, or as the method's JSON with --format json.
 * A new read command is a subclass naming the method and, if the generic
 * {@link JsonText} layout does not suit, its own text layout.
 */
abstract class ReadCommand extends CtlCommand {

    private final String method;

    ReadCommand(String method) {
        this.method = method;
    }

    /** Named parameters of the request (none by default). */
    ObjectNode params() {
        return JsonNodeFactory.instance.objectNode();
    }

    void printText(JsonNode result, PrintWriter out) {
        JsonText.print(result, out);
    }

    @Override
    void run() throws CtlFailure {
        JsonNode result = ctl.call(method, params());
        Output output = ctl.output();
        if (output.json()) {
            output.printJson(result);
        } else {
            printText(result, output.writer());
        }
    }
}
