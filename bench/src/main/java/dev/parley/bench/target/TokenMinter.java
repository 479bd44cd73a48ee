package dev.parley.bench.target;

import dev.parley.server.auth.TokenIssuer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * HS256 tokens made locally from the server's secret: 100,000 users cost a second instead of 100,000 requests.
 * Signing is the server's own {@link TokenIssuer}; this class only knows where the secret lives and how long a
 * benchmark's tokens must last.
 */
public final class TokenMinter {
    private final TokenIssuer issuer;
    private final long expiresAtMs = System.currentTimeMillis() + 6 * 3600_000L;

    public TokenMinter(byte[] secret) {
        this.issuer = new TokenIssuer(secret);
    }

    /** The dev secret a server in dev mode keeps in its data dir: base64 of 32 bytes. */
    public static TokenMinter fromDevSecretFile(Path file) {
        try {
            return new TokenMinter(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dev secret " + file, e);
        }
    }

    public String mint(String userId) {
        return issuer.issue(userId, expiresAtMs);
    }
}
