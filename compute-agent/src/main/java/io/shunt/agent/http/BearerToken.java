package io.shunt.agent.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The agent's shared secret and its check. The comparison is of SHA-256 digests with
 * {@link MessageDigest#isEqual} (constant time in the content), so neither the content nor
 * the length of the presented token leaks through response timing.
 */
public final class BearerToken {
    private static final String SCHEME = "Bearer ";
    private final byte[] expectedDigest;

    public BearerToken(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("agent token is empty");
        }
        this.expectedDigest = digest(token.strip());
    }

    /** True if {@code authorization} (an {@code Authorization} header value, may be null) carries the token. */
    public boolean accepts(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, digest(authorization.substring(SCHEME.length()).strip()));
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
