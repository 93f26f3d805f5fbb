package io.shunt.vnf;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGTERM/SIGINT handling for a polling program: a shutdown hook raises a flag the loop polls
 * once per round, then waits (bounded) until the loop has stopped and printed its summary,
 * so a VNF killed by its orchestrator still reports what it did.
 */
final class Termination {
    private static final long HOOK_WAIT_SECONDS = 10;

    private volatile boolean requested;
    private final CountDownLatch done = new CountDownLatch(1);

    static Termination install(String program) {
        Termination termination = new Termination();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            termination.requested = true;
            try {
                termination.done.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, program + "-shutdown"));
        return termination;
    }

    /** Whether a signal asked the program to stop. */
    boolean requested() {
        return requested;
    }

    /** The loop stopped and the summary is out: the JVM may exit. */
    void finished() {
        done.countDown();
    }
}
