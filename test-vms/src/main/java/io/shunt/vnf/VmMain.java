package io.shunt.vnf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.shunt.datapath.device.DeviceDirectoryLayout;
import io.shunt.datapath.guest.GuestOptions;
import io.shunt.datapath.guest.pci.IvshmemPciBus;
import io.shunt.datapath.guest.pci.PciDeviceMirror;

/**
 * Entry point of a VNF program inside a VM of the guest image (test-vms/image): mirrors the
 * VM's ivshmem devices into a region directory and a device directory (see {@link
 * PciDeviceMirror}), then runs {@code source}, {@code forwarder} or {@code sink} in this JVM
 * with {@code --dir} set to that region directory. The program is the one that runs on the
 * host; only where its regions come from differs. {@code watch} runs no program: it only
 * mirrors (and logs) devices as they come and go, until the VM is stopped.
 *
 * <pre>VmMain [--region-dir DIR] [--device-root DIR] [--vnf-id ID] source|forwarder|sink|watch ARGS...</pre>
 */
public final class VmMain {
    private static final Logger LOG = LoggerFactory.getLogger(VmMain.class);

    private VmMain() {
    }

    public static void main(String[] args) throws IOException {
        Path regionDirectory = Path.of("/run/shunt/regions");
        Path deviceRoot = null;
        String vnfId = null;
        int i = 0;
        for (; i < args.length - 1 && args[i].startsWith("--"); i += 2) {
            switch (args[i]) {
                case "--region-dir" -> regionDirectory = Path.of(args[i + 1]);
                case "--device-root" -> deviceRoot = Path.of(args[i + 1]);
                case "--vnf-id" -> vnfId = args[i + 1];
                default -> usage("unknown option " + args[i]);
            }
        }
        if (i >= args.length) {
            usage("no program");
        }
        String program = args[i];
        String[] programArgs = new String[args.length - i + 1];
        programArgs[0] = "--dir";
        programArgs[1] = regionDirectory.toString();
        System.arraycopy(args, i + 1, programArgs, 2, args.length - i - 1);

        // The device directory the guest shim of this JVM registers in, with the same defaults
        // (contract-links §1): $SHUNT_DEVICE_ROOT or <region directory>/shunt-devices, and vnf-id
        // pid-<pid>, this JVM being the VNF.
        Path root = DeviceDirectoryLayout.resolveRoot(deviceRoot, System.getenv(), regionDirectory);
        String id = DeviceDirectoryLayout.vnfId(vnfId, ProcessHandle.current().pid());
        // Our pid means nothing to the host: the shim announces 0 (GuestOptions.IN_VM_PROPERTY).
        System.setProperty(GuestOptions.IN_VM_PROPERTY, "true");
        PciDeviceMirror mirror = new PciDeviceMirror(IvshmemPciBus.system(), regionDirectory,
                DeviceDirectoryLayout.devicesDirectory(root, id), new PciDeviceMirror.Listener() { });
        mirror.start();
        LOG.info("{} ivshmem region(s) on the PCI bus; running {} {}", mirror.entries().size(), program,
                String.join(" ", Arrays.copyOfRange(programArgs, 2, programArgs.length)));
        switch (program) {
            case "source" -> Source.main(programArgs);
            case "forwarder" -> Forwarder.main(programArgs);
            case "sink" -> Sink.main(programArgs);
            case "watch" -> awaitPowerOff();
            default -> usage("unknown program '" + program + "'");
        }
    }

    private static void awaitPowerOff() {
        try {
            new java.util.concurrent.CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void usage(String problem) {
        System.err.println("VmMain: " + problem);
        System.err.println("usage: VmMain [--region-dir DIR] [--device-root DIR] [--vnf-id ID] source|forwarder|sink|watch ARGS...");
        System.exit(2);
    }
}
