package dev.parley.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks access tokens: signature (HS256 with the shared secret, RS256/ES256 with a configured public key),
 * a required {@code exp} that has not passed, and a {@code sub} that is a valid user id. Thread-safe.
 */
public final class TokenVerifier {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param hmacSecret HS256 secret (at least 32 bytes), or null
     * @param publicKeyPem PEM file with an RSA or EC public key, or null
     */
    public TokenVerifier(byte[] hmacSecret, Path publicKeyPem) {
        List<JWK> keys = new ArrayList<>();
        Set<JWSAlgorithm> algorithms = new HashSet<>();
        if (hmacSecret != null) {
            keys.add(new OctetSequenceKey.Builder(hmacSecret).build());
            algorithms.add(JWSAlgorithm.HS256);
        }
        if (publicKeyPem != null) {
            JWK key = readPublicKey(publicKeyPem);
            keys.add(key);
            algorithms.add(key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256);
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no key to verify tokens with");
        }
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(new JWKSet(keys))));
        DefaultJWTClaimsVerifier<SecurityContext> claims =
                new DefaultJWTClaimsVerifier<>(null, Set.of("sub", "exp"));
        // The server's own clock decides expiry, and the same instant arms the token_expired timer.
        claims.setMaxClockSkew(0);
        processor.setJWTClaimsSetVerifier(claims);
    }

    private static JWK readPublicKey(Path pem) {
        try {
            JWK key = JWK.parseFromPEMEncodedObjects(Files.readString(pem));
            if (!(key instanceof RSAKey) && !(key instanceof ECKey)) {
                throw new IllegalArgumentException("the public key in " + pem + " is neither RSA nor EC");
            }
            return key.toPublicJWK();
        } catch (IOException | JOSEException e) {
            throw new IllegalArgumentException("cannot read the public key " + pem + ": " + e.getMessage(), e);
        }
    }

    public VerifiedToken verify(String token) throws AuthException {
        if (token == null || token.isEmpty()) {
            throw new AuthException("token is required");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new AuthException("token is not a JWT");
        } catch (BadJWTException e) {
            throw new AuthException(e.getMessage().contains("xpired") ? "token has expired" : "token claims are invalid: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new AuthException("token signature is invalid");
        }
        String sub = claims.getSubject();
        if (!UserIds.isValid(sub)) {
            throw new AuthException("token sub is not a valid user id");
        }
        return new VerifiedToken(sub, claims.getExpirationTime().getTime());
    }
}
