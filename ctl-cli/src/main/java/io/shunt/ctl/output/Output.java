package io.shunt.ctl.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/**
 * Where a command prints its result, and in which format: {@code text} for
 * people, {@code json} (one pretty-printed JSON document) for scripts.
 */
public final class Output {

    public enum Format { text, json }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper LINE = new ObjectMapper();

    private final PrintWriter out;
    private final Format format;

    public Output(PrintWriter out, Format format) {
        this.out = out;
        this.format = format;
    }

    public boolean json() {
        return format == Format.json;
    }

    public PrintWriter writer() {
        return out;
    }

    /** One JSON document, indented for people to read too. */
    public void printJson(JsonNode value) {
        print(JSON, value);
    }

    /** One JSON document on one line: what a stream of refreshes (links --watch) prints, one line per refresh. */
    public void printJsonLine(JsonNode value) {
        print(LINE, value);
    }

    private void print(ObjectMapper mapper, JsonNode value) {
        try {
            out.println(mapper.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print JSON", e);
        }
        out.flush();
    }

    public static ObjectMapper mapper() {
        return JSON;
    }
}
