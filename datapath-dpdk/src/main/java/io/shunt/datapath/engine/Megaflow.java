package io.shunt.datapath.engine;

import io.shunt.datapath.flow.FlowMask;

/** An upcall's answer: the program for every packet whose key equals this one under {@code mask}. */
public record Megaflow(ActionProgram program, FlowMask mask) {
}
