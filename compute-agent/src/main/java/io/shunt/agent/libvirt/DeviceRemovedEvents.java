package io.shunt.agent.libvirt;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.ConnectionPointer;
import org.libvirt.jna.DomainPointer;
import org.libvirt.jna.Libvirt;

/**
 * libvirt's {@code VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED} (15): QEMU reported that the guest
 * released a device, i.e. a {@code detachDeviceFlags} really completed (libvirt returns from
 * the call before that when the guest is slow) or the guest ejected it itself. libvirt-java
 * 0.5.2 stops at event id 13, so this binds {@code virConnectDomainEventRegisterAny} with the
 * event's own callback signature {@code (conn, dom, devAlias, opaque)} through JNA directly.
 * Callbacks run on the thread that runs libvirt's default event loop.
 */
final class DeviceRemovedEvents {
    /** VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED in libvirt-domain.h. */
    static final int EVENT_ID = 15;

    /** What the driver does with an event. */
    @FunctionalInterface
    interface Handler {
        void deviceRemoved(String domain, String alias);
    }

    /** The callback as libvirt calls it: {@code virConnectDomainEventDeviceRemovedCallback}. */
    interface Callback extends Libvirt.VirDomainEventCallback {
        void eventCallback(ConnectionPointer conn, DomainPointer dom, String devAlias, Pointer opaque);
    }

    interface Binding extends Library {
        int virConnectDomainEventRegisterAny(ConnectionPointer conn, DomainPointer dom, int eventId, Callback callback,
                                             Pointer opaque, Pointer freeCallback);

        int virConnectDomainEventDeregisterAny(ConnectionPointer conn, int callbackId);

        String virDomainGetName(DomainPointer dom);
    }

    /** The connection's handle, which libvirt-java keeps protected. */
    static final class EventConnect extends Connect {
        EventConnect(String uri) throws LibvirtException {
            super(uri);
        }

        ConnectionPointer pointer() {
            return vcp;
        }
    }

    private static final Binding LIBVIRT = Native.load("virt", Binding.class);

    private final EventConnect connect;
    /** Held for as long as it is registered: JNA frees the native stub once this is collected. */
    private final Callback callback;
    private final int callbackId;

    private DeviceRemovedEvents(EventConnect connect, Callback callback, int callbackId) {
        this.connect = connect;
        this.callback = callback;
        this.callbackId = callbackId;
    }

    /** Subscribes {@code handler} to the device-removed events of every domain of {@code connect}. */
    static DeviceRemovedEvents register(EventConnect connect, Handler handler) {
        Callback callback = (conn, dom, alias, opaque) -> handler.deviceRemoved(LIBVIRT.virDomainGetName(dom), alias);
        int id = LIBVIRT.virConnectDomainEventRegisterAny(connect.pointer(), null, EVENT_ID, callback, null, null);
        if (id < 0) {
            throw new IllegalStateException("libvirt refused the device-removed event registration");
        }
        return new DeviceRemovedEvents(connect, callback, id);
    }

    void deregister() {
        LIBVIRT.virConnectDomainEventDeregisterAny(connect.pointer(), callbackId);
    }
}
