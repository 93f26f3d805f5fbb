package io.shunt.ofproto.flow;

/** What action and instruction validation needs to know about the switch right now (pending state included). */
public interface ActionEnv {
    int tableCount();

    /** A physical or LOCAL port that exists in the datapath. */
    boolean portExists(int portNo);

    boolean groupExists(int groupId);

    boolean meterExists(long meterId);
}
