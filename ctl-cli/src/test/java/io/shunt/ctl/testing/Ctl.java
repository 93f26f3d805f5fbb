package io.shunt.ctl.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shunt.ctl.ExitCode;
import io.shunt.ctl.ShuntCtl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs shunt-ctl against one run directory and keeps what it printed and its exit code. */
public final class Ctl {

    public record Result(int exit, String out, String err) {
        /** stderr as lines (a failure must print exactly one). */
        public List<String> errLines() {
            return err.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nstdout:\n" + out + "stderr:\n" + err;
        }
    }

    private final Path runDir;

    public Ctl(Path runDir) {
        this.runDir = runDir;
    }

    public Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--run-dir", runDir.toString(), "--timeout", "20"));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = ShuntCtl.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Result(exit, out.toString(), err.toString());
    }

    /** Runs a command that must succeed: exit 0, nothing on stderr. */
    public Result ok(String... args) {
        Result r = run(args);
        assertEquals(ExitCode.OK, r.exit(), () -> String.join(" ", args) + "\n" + r);
        assertEquals("", r.err(), () -> String.join(" ", args) + "\n" + r);
        return r;
    }

    /** Runs a command that must fail with {@code exit}, saying {@code what} (see {@link #assertFailure}). */
    public Result fails(int exit, String what, String... args) {
        Result r = run(args);
        assertFailure(r, exit, what);
        return r;
    }

    /**
     * A failure as scripts rely on it: the exit code, exactly one line on stderr that starts with
     * "shunt-ctl: " and contains every fragment, and nothing on stdout.
     */
    public static void assertFailure(Result r, int exit, String... fragments) {
        assertEquals(exit, r.exit(), r::toString);
        assertEquals(1, r.errLines().size(), () -> "one line on stderr\n" + r);
        assertTrue(r.err().startsWith("shunt-ctl: "), r::toString);
        for (String fragment : fragments) {
            assertTrue(r.err().contains(fragment), () -> "expected '" + fragment + "' in\n" + r);
        }
        assertEquals("", r.out(), () -> "nothing on stdout\n" + r);
    }
}
