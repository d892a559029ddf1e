package dev.portcullis.authn.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.junit.jupiter.api.Test;

class KeySetDocumentsTest {

    @Test
    @SuppressWarnings("unchecked")
    void ecKeySetHasPublicPartsOnly() throws Exception {
        SigningKey key = SigningKey.derivedFrom(new byte[32]);

        Map<String, Object> set = JsonUtil.parseJson(new KeySetDocuments(key).jwksJson());

        assertThat(set).containsOnlyKeys("keys");
        List<Map<String, Object>> keys = (List<Map<String, Object>>) set.get("keys");
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0)).containsOnlyKeys("use", "kty", "kid", "crv", "alg", "x", "y")
                .containsEntry("use", "sig").containsEntry("kty", "EC").containsEntry("crv", "P-256")
                .containsEntry("alg", "ES256").containsEntry("kid", key.kid())
                .doesNotContainKey("d");
    }

    @Test
    @SuppressWarnings("unchecked")
    void rsaKeySetHasPublicPartsOnly() throws Exception {
        SigningKey key = SigningKey.fromPem(TestPem.traditional(TestPem.rsa(2048).getPrivate()));

        Map<String, Object> set = JsonUtil.parseJson(new KeySetDocuments(key).jwksJson());

        Map<String, Object> jwk = ((List<Map<String, Object>>) set.get("keys")).get(0);
        assertThat(jwk).containsOnlyKeys("use", "kty", "kid", "alg", "n", "e")
                .containsEntry("kty", "RSA").containsEntry("alg", "RS256").containsEntry("e", "AQAB");
    }

    @Test
    void kidIsTheRfc7638Thumbprint() throws Exception {
        SigningKey key = SigningKey.derivedFrom(new byte[32]);
        JsonWebKey jwk = new JsonWebKeySet(new KeySetDocuments(key).jwksJson()).getJsonWebKeys().get(0);

        assertThat(java.util.HexFormat.of().formatHex(jwk.calculateThumbprint("SHA-256"))).isEqualTo(key.kid());
    }

    @Test
    void wellKnownHasPomeriumsShape() throws Exception {
        KeySetDocuments documents = new KeySetDocuments(SigningKey.derivedFrom(new byte[32]));

        String json = documents.wellKnownJson("https://authenticate.example.com", "/oauth2/callback", "route.example.com");

        assertThat(JsonUtil.parseJson(json)).containsOnly(
                Map.entry("issuer", "https://route.example.com/"),
                Map.entry("authentication_callback_endpoint", "https://authenticate.example.com/oauth2/callback"),
                Map.entry("jwks_uri", "https://route.example.com/.well-known/pomerium/jwks.json"),
                Map.entry("frontchannel_logout_uri", "https://route.example.com/.pomerium/sign_out"));
    }

    @Test
    void wellKnownKeepsPortsAndReplacesTheAuthenticatePath() throws Exception {
        KeySetDocuments documents = new KeySetDocuments(SigningKey.derivedFrom(new byte[32]));

        String json = documents.wellKnownJson("https://auth.nas.example:8443/ignored/", "/custom/callback", "app.nas.example:8443");

        assertThat(JsonUtil.parseJson(json))
                .containsEntry("issuer", "https://app.nas.example:8443/")
                .containsEntry("authentication_callback_endpoint", "https://auth.nas.example:8443/custom/callback")
                .containsEntry("jwks_uri", "https://app.nas.example:8443/.well-known/pomerium/jwks.json");
    }

    @Test
    void wellKnownRefusesMalformedArguments() {
        KeySetDocuments documents = new KeySetDocuments(SigningKey.derivedFrom(new byte[32]));

        assertThatThrownBy(() -> documents.wellKnownJson("https://a.example", "/cb", "evil.example/x?"))
                .hasMessageContaining("routeHost");
        assertThatThrownBy(() -> documents.wellKnownJson("https://a.example", "cb", "app.example"))
                .hasMessageContaining("callbackPath");
        assertThatThrownBy(() -> documents.wellKnownJson("authenticate.example", "/cb", "app.example"))
                .hasMessageContaining("authenticateServiceUrl");
    }

    @Test
    void everyKeyOfAMultiKeySigningKeyIsPublishedTheFirstSigns() throws Exception {
        String first = TestPem.sec1(TestPem.ec("secp256r1"), true);
        String second = TestPem.traditional(TestPem.rsa(2048).getPrivate());
        SigningKeys keys = SigningKeys.fromPem(first + second);

        JsonWebKeySet set = new JsonWebKeySet(new KeySetDocuments(keys).jwksJson());

        assertThat(set.getJsonWebKeys()).extracting(JsonWebKey::getKeyId)
                .containsExactly(SigningKey.fromPem(first).kid(), SigningKey.fromPem(second).kid());
        assertThat(keys.signing().kid()).isEqualTo(SigningKey.fromPem(first).kid());
        java.time.Instant now = java.time.Instant.now();
        String token = new AssertionSigner(keys.signing()).assertionFor(
                new AssertionSubject("s1", "u1", null, null, List.of(), now.plusSeconds(600)), "app.example", now);
        Jose4jVerifier.verify(token, new KeySetDocuments(keys).jwksJson(), "ES256", "app.example", now);
    }

    @Test
    void aMultiKeySigningKeyWithOneBadKeyIsRefused() {
        String good = TestPem.sec1(TestPem.ec("secp256r1"), true);
        String bad = TestPem.sec1(TestPem.ec("secp384r1"), true);

        assertThatThrownBy(() -> SigningKeys.fromPem(good + bad)).isInstanceOf(InvalidSigningKeyException.class)
                .hasMessageContaining("secp384r1");
    }

    @Test
    void keySetIsWrittenAsPomeriumWritesItWithItsEtag() {
        SigningKey key = SigningKey.derivedFrom(new byte[32]);
        com.nimbusds.jose.jwk.ECKey jwk = (com.nimbusds.jose.jwk.ECKey) key.publicJwk();
        String expected = "{\"keys\":[{\"use\":\"sig\",\"kty\":\"EC\",\"kid\":\"" + key.kid()
                + "\",\"crv\":\"P-256\",\"alg\":\"ES256\",\"x\":\"" + jwk.getX() + "\",\"y\":\"" + jwk.getY() + "\"}]}";

        KeySetDocuments documents = new KeySetDocuments(key);

        assertThat(documents.jwksJson()).isEqualTo(expected);
        assertThat(documents.jwksEtag()).isEqualTo("\"" + fnv1Hex(expected) + "\"");
    }

    /** Go's hash/fnv New64 (FNV-1), computed with unbounded integers, then fmt's %x. */
    private static String fnv1Hex(String text) {
        java.math.BigInteger mask = java.math.BigInteger.ONE.shiftLeft(64).subtract(java.math.BigInteger.ONE);
        java.math.BigInteger hash = new java.math.BigInteger("14695981039346656037");
        java.math.BigInteger prime = new java.math.BigInteger("1099511628211");
        for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            hash = hash.multiply(prime).and(mask).xor(java.math.BigInteger.valueOf(b & 0xff));
        }
        return hash.toString(16);
    }
}
