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
import com.nimbusds.jwt.proc.ExpiredJWTException;
import com.nimbusds.jose.jwk.Curve;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
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

    /** Reads a PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo) with the JDK alone, RSA or EC. */
    private static JWK readPublicKey(Path pem) {
        byte[] der;
        try {
            String text = Files.readString(pem);
            if (!text.contains("-----BEGIN PUBLIC KEY-----")) {
                throw new IllegalArgumentException("the file " + pem + " holds no PEM PUBLIC KEY block");
            }
            String base64 = text.substring(text.indexOf("-----BEGIN PUBLIC KEY-----") + 26, text.indexOf("-----END PUBLIC KEY-----"));
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the public key " + pem + ": " + e.getMessage(), e);
        }
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        try {
            return new RSAKey.Builder((RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(spec)).build();
        } catch (GeneralSecurityException notRsa) {
            try {
                ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(spec);
                return new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build();
            } catch (GeneralSecurityException | RuntimeException notEc) {
                throw new IllegalArgumentException("the public key in " + pem + " is neither RSA nor EC");
            }
        }
    }

    /** The claims set turns a numeric sub into text; the raw payload tells whether the issuer meant a string. */
    private static boolean subIsAString(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getPayload().toJSONObject().get("sub") instanceof String;
        } catch (ParseException e) {
            return false;
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
            throw new AuthException(e instanceof ExpiredJWTException ? "token has expired" : "token claims are invalid: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            throw new AuthException("token signature is invalid");
        }
        String sub = claims.getSubject();
        if (!UserIds.isValid(sub) || !subIsAString(token)) {
            throw new AuthException("token sub is not a valid user id");
        }
        return new VerifiedToken(sub, claims.getExpirationTime().getTime());
    }
}
