package io.shunt.agent.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real QEMU domain of the test-vms guest image, started through test-vms/image/start-vm.sh
 * (transient: it vanishes when destroyed). Needs libvirtd running and the image built
 * (test-vms/image/build-image.sh); test-vms/image/vm-tests.sh arranges both.
 */
final class TestDomain implements AutoCloseable {
    static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
    static final Path START_VM = REPO.resolve("test-vms/image/start-vm.sh");
    static final Path IMAGE = Path.of(System.getProperty("shunt.vm.image", REPO.resolve("test-vms/target/image").toString()));

    final String name;
    final Path serialLog;

    private TestDomain(String name, Path serialLog) {
        this.name = name;
        this.serialLog = serialLog;
    }

    /** Checks what every VM test needs and says what is missing. */
    static void requireEnvironment() throws IOException, InterruptedException {
        if (!Files.isRegularFile(IMAGE.resolve("initramfs.gz"))) {
            throw new IllegalStateException("no guest image in " + IMAGE + ": run test-vms/image/build-image.sh");
        }
        Result list = run(Duration.ofSeconds(20), "virsh", "-c", "qemu:///system", "list");
        if (list.status != 0) {
            throw new IllegalStateException("libvirtd is not reachable (virsh list: " + list.output.strip()
                    + "): start virtlogd -d and libvirtd -d, or run test-vms/image/vm-tests.sh");
        }
    }

    /** Boots {@code program} with {@code regions} as its shmem devices. */
    static TestDomain start(String name, String program, String args, List<Path> regions)
            throws IOException, InterruptedException {
        Path log = Path.of("/var/log/libvirt/qemu", name + ".serial.log");
        List<String> command = new ArrayList<>(List.of(START_VM.toString(), name, program, args));
        regions.forEach(r -> command.add(r.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SHUNT_VM_IMAGE", IMAGE.toString());
        builder.environment().put("SHUNT_VM_LOG", log.toString());
        Result started = run(builder, Duration.ofSeconds(60));
        if (started.status != 0) {
            throw new IllegalStateException("start-vm.sh " + name + " failed: " + started.output);
        }
        return new TestDomain(name, log);
    }

    /** Waits until the serial log holds {@code text} at least {@code times} times; false on timeout. */
    boolean awaitLog(String text, int times, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (countInLog(text) >= times) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    int countInLog(String text) throws IOException {
        if (!Files.exists(serialLog)) {
            return 0;
        }
        String log = Files.readString(serialLog, StandardCharsets.UTF_8);
        int count = 0;
        for (int at = log.indexOf(text); at >= 0; at = log.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }

    String log() throws IOException {
        return Files.exists(serialLog) ? Files.readString(serialLog, StandardCharsets.UTF_8) : "(no serial log)";
    }

    /** {@code virsh dumpxml} of the live domain. */
    String dumpXml() throws IOException, InterruptedException {
        return run(Duration.ofSeconds(20), "virsh", "-c", "qemu:///system", "dumpxml", name).output;
    }

    void destroy() throws IOException, InterruptedException {
        run(Duration.ofSeconds(30), "virsh", "-c", "qemu:///system", "destroy", name);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        destroy();
        Files.deleteIfExists(serialLog);
    }

    record Result(int status, String output) {
    }

    static Result run(Duration timeout, String... command) throws IOException, InterruptedException {
        return run(new ProcessBuilder(command).redirectErrorStream(true), timeout);
    }

    static Result run(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Path output = Files.createTempFile("shunt-vm-cmd", ".out");
        try {
            Process process = builder.redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", builder.command()) + " did not finish within " + timeout);
            }
            return new Result(process.exitValue(), Files.readString(output));
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
