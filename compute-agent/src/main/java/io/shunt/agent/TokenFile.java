package io.shunt.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's bearer token, kept in a file that vswitchd (and an administrator with curl)
 * reads: created with 32 random bytes (base64url, 43 characters) and mode 0600 when absent,
 * read as is otherwise.
 */
public final class TokenFile {
    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);
    private static final int RANDOM_BYTES = 32;

    private TokenFile() {
    }

    /** The token in {@code file}, creating the file with a fresh token if it does not exist. */
    public static String loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[RANDOM_BYTES];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            try {
                // Created 0600 from the start: the token is never readable by others, not even briefly.
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
                LOG.info("created agent token file {} (mode 0600)", file);
                return token;
            } catch (FileAlreadyExistsException raced) {
                // another process made it first: read theirs below
            }
        }
        String token = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new IOException("agent token file " + file + " must hold one token of printable ASCII characters");
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.contains(PosixFilePermission.OTHERS_READ)) {
            LOG.warn("agent token file {} is readable by everyone ({}): chmod 600 it",
                    file, PosixFilePermissions.toString(mode));
        }
        return token;
    }
}
