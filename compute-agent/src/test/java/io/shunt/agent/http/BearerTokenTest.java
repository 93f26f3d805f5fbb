package io.shunt.agent.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BearerTokenTest {
    private final BearerToken token = new BearerToken("s3cr3t-token");

    @Test
    void acceptsExactlyTheTokenAfterTheBearerScheme() {
        assertTrue(token.accepts("Bearer s3cr3t-token"));
        assertTrue(token.accepts("bearer s3cr3t-token"), "the scheme is case-insensitive (RFC 7235)");
        assertTrue(token.accepts("Bearer  s3cr3t-token "), "surrounding blanks are not part of the token");
    }

    @Test
    void refusesAnythingElse() {
        for (String header : new String[] {null, "", "Bearer", "Bearer ", "s3cr3t-token", "Basic s3cr3t-token",
                "Bearer s3cr3t-toke", "Bearer s3cr3t-tokenx", "Bearer S3CR3T-TOKEN", "Bearers3cr3t-token"}) {
            assertFalse(token.accepts(header), String.valueOf(header));
        }
    }

    @Test
    void anEmptyTokenIsRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> new BearerToken(" \n"));
    }
}
