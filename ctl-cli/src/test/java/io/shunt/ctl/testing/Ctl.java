package io.shunt.ctl.testing;

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
}
