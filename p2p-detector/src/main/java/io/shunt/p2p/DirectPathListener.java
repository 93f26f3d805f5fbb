package io.shunt.p2p;

/**
 * Receives the changes of the set of direct paths. Called on the thread that called the
 * {@link DirectPathDetector} method causing the change, after the detector's state is
 * updated, so the listener may query the detector. It must not change the detector's model
 * from inside the callback.
 */
@FunctionalInterface
public interface DirectPathListener {

    void onEvent(DirectPathEvent event);
}
