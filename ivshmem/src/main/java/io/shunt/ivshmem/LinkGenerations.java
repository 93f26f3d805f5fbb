package io.shunt.ivshmem;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Hands out link generations for one region directory: monotonic, persisted, never reused,
 * also across vswitchd restarts (contract-links.md section 2). A guest that finds a link
 * region checks its generation, and the protocol words of one generation are used for one
 * establish/revert cycle only, so a reused generation could make a guest take stale words
 * for fresh ones.
 *
 * <p>The next generation is one more than the larger of the counter file
 * {@code <region directory>/shunt-link-generation} and the highest generation among the
 * link regions present in the directory (so deleting the counter file cannot bring an old
 * generation back while its region exists). The counter holds a fixed-width decimal number
 * written with one positional write under an exclusive file lock: a process killed at any
 * point leaves the old or the new value (a write(2) of 21 bytes is not torn by a signal),
 * and two processes sharing the directory never draw the same generation.
 */
public final class LinkGenerations {
    /** Name of the counter file in the region directory. */
    public static final String COUNTER_FILE = "shunt-link-generation";
    private static final int WIDTH = 20;
    /**
     * File locks are held per JVM, not per thread or channel (a second {@code lock()} in the same
     * JVM throws), so draws of every instance in this JVM also go through this monitor.
     */
    private static final Object JVM_LOCK = new Object();

    private final Path directory;
    private final Path counter;

    public LinkGenerations(Path regionDirectory) {
        this.directory = regionDirectory;
        this.counter = regionDirectory.resolve(COUNTER_FILE);
    }

    /** Draws the next generation and persists it before returning it. */
    public long next() throws IOException {
        synchronized (JVM_LOCK) {
            return draw();
        }
    }

    private long draw() throws IOException {
        if (!Files.exists(counter)) {
            try {
                Files.createFile(counter, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // another process created it first: fine, the lock below orders us
            }
        }
        try (FileChannel channel = FileChannel.open(counter, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            long stored = read(channel);
            long next = Math.max(stored, highestInDirectory()) + 1;
            byte[] text = (String.format("%0" + WIDTH + "d", next) + "\n").getBytes(StandardCharsets.US_ASCII);
            ByteBuffer buffer = ByteBuffer.wrap(text);
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
            channel.truncate(text.length);
            channel.force(false);
            return next;
        }
    }

    /** The last generation handed out (0 if none), without drawing one. */
    public long last() throws IOException {
        long stored = 0;
        if (Files.exists(counter)) {
            try (FileChannel channel = FileChannel.open(counter, StandardOpenOption.READ)) {
                stored = read(channel);
            }
        }
        return Math.max(stored, highestInDirectory());
    }

    private long read(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size == 0) {
            return 0;
        }
        if (size > 64) {
            throw new IOException(counter + ": " + size + " bytes, expected a decimal link generation of "
                    + (WIDTH + 1) + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) size);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // read until full or end of file
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IOException(counter + ": '" + text + "' is not a link generation (a decimal number >= 0);"
                    + " fix or delete the file (the link regions present still keep generations unique)", e);
        }
    }

    private long highestInDirectory() throws IOException {
        long highest = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, LinkName.PREFIX + "*")) {
            for (Path entry : entries) {
                Optional<LinkName> name = LinkName.parse(entry.getFileName().toString());
                if (name.isPresent()) {
                    highest = Math.max(highest, name.get().generation());
                }
            }
        }
        return highest;
    }

    public Path counterFile() {
        return counter;
    }
}
