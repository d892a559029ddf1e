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

        assertThat(jwk.calculateBase64urlEncodedThumbprint("SHA-256")).isEqualTo(key.kid());
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
}
