package io.shunt.agent.libvirt;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, run by one daemon thread per JVM: domain events (lifecycle,
 * device removed) and connection keep-alives are delivered from it. It must be registered
 * before the first connection that wants events is opened.
 */
final class LibvirtEventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtEventLoop.class);
    private static boolean started;

    private LibvirtEventLoop() {
    }

    static synchronized void ensureRunning() throws LibvirtException {
        if (started) {
            return;
        }
        Library.initEventLoop();
        Thread thread = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (LibvirtException e) {
                LOG.error("libvirt event loop stopped: device and lifecycle events are no longer received", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "libvirt-events");
        thread.setDaemon(true);
        thread.start();
        started = true;
    }
}
