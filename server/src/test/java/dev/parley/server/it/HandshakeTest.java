package dev.parley.server.it;

import static dev.parley.server.testing.WsClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.parley.server.auth.TokenIssuer;
import dev.parley.server.testing.TestServer;
import dev.parley.server.testing.WsClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HandshakeTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void validTokenGetsAuthOkWithTheContractFields() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            long before = System.currentTimeMillis();
            c.send(json("type", "auth", "ref", "a1", "token", server.token("alice")));
            JsonNode ok = c.expect("auth:ok");
            assertThat(ok.get("ref").asText()).isEqualTo("a1");
            assertThat(ok.get("user_id").asText()).isEqualTo("alice");
            assertThat(ok.get("connection_id").asText()).isNotBlank();
            assertThat(ok.get("server_time").asLong()).isGreaterThanOrEqualTo(before);
            assertThat(ok.get("heartbeat_ms").asLong()).isEqualTo(25_000);
            assertThat(ok.get("limits").get("max_frame_bytes").asInt()).isEqualTo(65_536);
            assertThat(ok.get("limits").get("max_body_bytes").asInt()).isEqualTo(16_384);
        }
    }

    @Test
    void wrongTokenIsRejectedAndClosedWith4001() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "auth", "ref", "a1", "token", "not.a.jwt"));
            JsonNode error = c.expect("error");
            assertThat(error.get("ref").asText()).isEqualTo("a1");
            assertThat(error.get("code").asText()).isEqualTo("unauthenticated");
            assertThat(error.get("message").asText()).isNotBlank();
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        String forged = new TokenIssuer(new byte[32]).issue("alice", java.time.Duration.ofHours(1));
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "auth", "ref", "a1", "token", forged));
            assertThat(c.expect("error").get("code").asText()).isEqualTo("unauthenticated");
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void expiredTokenIsRejected() {
        String expired = server.server().devTokens().issue("alice", System.currentTimeMillis() - 1000);
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "auth", "ref", "a1", "token", expired));
            JsonNode error = c.expect("error");
            assertThat(error.get("code").asText()).isEqualTo("unauthenticated");
            assertThat(error.get("message").asText()).contains("expired");
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void anyOtherFrameBeforeAuthIsRejectedWith4001() {
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "ping", "ref", "p1"));
            JsonNode error = c.expect("error");
            assertThat(error.get("ref").asText()).isEqualTo("p1");
            assertThat(error.get("code").asText()).isEqualTo("unauthenticated");
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void noAuthWithinTheTimeoutClosesWith4001() {
        try (TestServer impatient = TestServer.start(dir.resolve("impatient"), b -> b.authTimeoutMs(500));
             WsClient c = WsClient.connect(impatient.wsUrl())) {
            JsonNode error = c.expect("error");
            assertThat(error.get("code").asText()).isEqualTo("unauthenticated");
            assertThat(error.get("message").asText()).isEqualTo("no auth frame within 500 ms");
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void authRefreshForTheSameUserIsAcceptedAndForAnotherUserForbidden() {
        try (WsClient c = WsClient.authed(server, "alice")) {
            c.send(json("type", "auth", "ref", "a2", "token", server.token("alice")));
            assertThat(c.expect("auth:ok").get("ref").asText()).isEqualTo("a2");
            c.send(json("type", "auth", "ref", "a3", "token", server.token("mallory")));
            JsonNode error = c.expect("error");
            assertThat(error.get("ref").asText()).isEqualTo("a3");
            assertThat(error.get("code").asText()).isEqualTo("forbidden");
            c.expectNothingElse(); // still open and usable
        }
    }

    @Test
    void tokenThatExpiresWithoutRefreshGetsTokenExpiredAnd4001() {
        String shortLived = server.server().devTokens().issue("alice", System.currentTimeMillis() + 1500);
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "auth", "ref", "a1", "token", shortLived));
            c.expect("auth:ok");
            JsonNode error = c.expect("error");
            assertThat(error.get("code").asText()).isEqualTo("token_expired");
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void refreshedTokenKeepsTheConnectionPastTheFirstExpiry() {
        String shortLived = server.server().devTokens().issue("alice", System.currentTimeMillis() + 1500);
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "auth", "ref", "a1", "token", shortLived));
            c.expect("auth:ok");
            c.send(json("type", "auth", "ref", "a2", "token", server.token("alice")));
            c.expect("auth:ok");
            org.awaitility.Awaitility.await().pollDelay(java.time.Duration.ofMillis(2500)).until(() -> true);
            c.expectNothingElse();
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void rs256TokensAreAcceptedWithAConfiguredPublicKey() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        Path pem = dir.resolve("public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        try (TestServer rsa = TestServer.start(dir.resolve("rsa"), b -> b.jwtPublicKey(pem))) {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder()
                    .subject("carol").expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
            jwt.sign(new RSASSASigner(key));
            try (WsClient c = WsClient.connect(rsa.wsUrl())) {
                c.send(json("type", "auth", "ref", "a1", "token", jwt.serialize()));
                assertThat(c.expect("auth:ok").get("user_id").asText()).isEqualTo("carol");
            }
        }
    }

    @Test
    void es256TokensAreAcceptedWithAConfiguredPublicKey() throws Exception {
        com.nimbusds.jose.jwk.ECKey key = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate();
        Path pem = dir.resolve("ec-public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toECPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        try (TestServer ec = TestServer.start(dir.resolve("ec"), b -> b.jwtPublicKey(pem))) {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder()
                    .subject("dave").expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
            jwt.sign(new com.nimbusds.jose.crypto.ECDSASigner(key));
            try (WsClient c = WsClient.connect(ec.wsUrl())) {
                c.send(json("type", "auth", "ref", "a1", "token", jwt.serialize()));
                assertThat(c.expect("auth:ok").get("user_id").asText()).isEqualTo("dave");
            }
        }
    }

    @Test
    void tokenWhoseSubIsNotAStringIsRejected() throws Exception {
        byte[] secret = Base64.getDecoder().decode(Files.readString(dir.resolve("dev-secret")).trim());
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .claim("sub", 42).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret));
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "auth", "ref", "a1", "token", jwt.serialize()));
            assertThat(c.expect("error").get("code").asText()).isEqualTo("unauthenticated");
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }

    @Test
    void tokenWithoutExpIsRejected() throws Exception {
        byte[] secret = Base64.getDecoder().decode(Files.readString(dir.resolve("dev-secret")).trim());
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice").build());
        jwt.sign(new com.nimbusds.jose.crypto.MACSigner(secret));
        try (WsClient c = WsClient.connect(server.wsUrl())) {
            c.send(json("type", "auth", "ref", "a1", "token", jwt.serialize()));
            assertThat(c.expect("error").get("code").asText()).isEqualTo("unauthenticated");
            assertThat(c.awaitClose()).isEqualTo(4001);
        }
    }
}
