package io.shunt.vnf;

import java.io.PrintStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Writes a program's summary as one JSON line on stdout, the only thing a program prints there. */
final class JsonLine {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLine() {
    }

    static void print(PrintStream out, Object summary) {
        try {
            out.println(MAPPER.writeValueAsString(summary));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write summary " + summary, e);
        }
    }

    static ObjectMapper mapper() {
        return MAPPER;
    }
}
