package io.shunt.ctl.flow;

/**
 * What a flow string is for. It decides which keywords are allowed, as in
 * ovs-ofctl: only additions and modifications take actions, timeouts and
 * flags; only deletions and dumps take out_port/out_group.
 */
public enum FlowCommand {
    ADD("add-flow", true, true, false),
    MODIFY("mod-flows", true, true, false),
    MODIFY_STRICT("mod-flows --strict", true, true, false),
    DELETE("del-flows", false, false, true),
    DELETE_STRICT("del-flows --strict", false, true, true),
    DUMP("dump-flows", false, false, true);

    private final String commandName;
    private final boolean takesActions;
    private final boolean takesPriority;
    private final boolean takesOutPort;

    FlowCommand(String commandName, boolean takesActions, boolean takesPriority, boolean takesOutPort) {
        this.commandName = commandName;
        this.takesActions = takesActions;
        this.takesPriority = takesPriority;
        this.takesOutPort = takesOutPort;
    }

    public String commandName() {
        return commandName;
    }

    public boolean takesActions() {
        return takesActions;
    }

    public boolean takesPriority() {
        return takesPriority;
    }

    public boolean takesOutPort() {
        return takesOutPort;
    }

    public boolean isStrict() {
        return this == MODIFY_STRICT || this == DELETE_STRICT;
    }
}
