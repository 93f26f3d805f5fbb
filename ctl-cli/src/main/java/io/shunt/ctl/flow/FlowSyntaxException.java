package io.shunt.ctl.flow;

/**
 * A flow (or group, meter, packet-out) string that does not parse. The
 * column is 1-based and points at the token that is wrong, so the message a
 * user sees reads {@code bad flow: 'in_prot=1': unknown field 'in_prot' at column 1}.
 */
public final class FlowSyntaxException extends Exception {

    private final int column;

    public FlowSyntaxException(String problem, int column) {
        super(problem, null, false, false);
        this.column = column;
    }

    /** The problem alone, without the flow text or the column. */
    public String problem() {
        return getMessage();
    }

    /** 1-based column of the offending token in the text given to the parser. */
    public int column() {
        return column;
    }

    /** The one line shown to a user: {@code bad flow: '<text>': <problem> at column <n>}. */
    public String describe(String what, String text) {
        return "bad " + what + ": '" + text + "': " + problem() + " at column " + column;
    }
}
