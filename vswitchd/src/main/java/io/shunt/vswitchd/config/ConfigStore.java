package io.shunt.vswitchd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The configuration on disk: one JSON file, replaced whole on every change.
 *
 * <p>Crash safety comes from the classic sequence: write the new content to
 * a temporary file in the same directory, {@code fsync} it, {@code rename}
 * it over the old file (atomic on POSIX file systems), then {@code fsync}
 * the directory so that the rename itself is durable. After a crash at any
 * point the file is either the old configuration or the new one, never a
 * mix. The configuration is a few kilobytes and changes at human speed, so
 * rewriting it whole is cheaper to reason about than a journal, and needs no
 * embedded database.
 */
public final class ConfigStore {

    private static final Logger log = LoggerFactory.getLogger(ConfigStore.class);

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private final Path file;
    private final Path temporary;

    public ConfigStore(Path file) {
        this.file = file.toAbsolutePath();
        this.temporary = this.file.resolveSibling(this.file.getFileName() + ".tmp");
    }

    public Path file() {
        return file;
    }

    /**
     * The stored configuration, or the defaults when there is no file yet.
     *
     * @throws ConfigException when the file exists but cannot be read or is
     *     not a configuration this version understands; the file is left as
     *     it is, so nothing an operator wrote is lost
     */
    public Configuration load() throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            log.info("no configuration at {}: starting with the defaults", file);
            return Configuration.defaults();
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration " + file + ": " + e.getMessage(), e);
        }
        try {
            return JSON.readValue(bytes, Configuration.class);
        } catch (IOException e) {
            throw new ConfigException("configuration " + file + " is not valid: " + rootMessage(e)
                    + " (fix or remove the file; it was left untouched)", e);
        }
    }

    /** Writes the configuration durably; when this returns, a crash cannot lose it. */
    public void store(Configuration configuration) throws ConfigException {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(configuration);
        } catch (JsonProcessingException e) {
            throw new ConfigException("cannot encode configuration: " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new ConfigException("the file system of " + file + " cannot rename atomically", e);
            }
            try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
                directory.force(true);
            }
        } catch (IOException e) {
            throw new ConfigException("cannot write configuration " + file + ": " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null ? t.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }
}
