package dev.parley.bench.target;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;

/** HS256 tokens made locally from the server's secret: 100,000 users cost a second instead of 100,000 requests. */
public final class TokenMinter {
    private final MACSigner signer;
    private final Date expires = new Date(System.currentTimeMillis() + 6 * 3600_000L);

    public TokenMinter(byte[] secret) {
        try {
            this.signer = new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the HS256 secret must be at least 32 bytes", e);
        }
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
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(userId).issueTime(new Date()).expirationTime(expires).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
        return jwt.serialize();
    }
}
