package dev.portcullis.authn.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.builtin.BuiltinUser;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The option documents exactly as the browser gets them (the text the pages embed), whatever writes them; and
 * names and emails with characters JSON must escape stay one string each.
 */
class PasskeyOptionsTest {
    private static final RelyingParty RP = new RelyingParty("auth.example.com", "https://auth.example.com", "Portcullis");
    private static final PasskeyChallenge CHALLENGE = new PasskeyChallenge("Y2hhbGxlbmdl", Instant.parse("2026-12-08T04:00:00Z"));

    @Test
    void creationOptionsAreWebAuthnJson() {
        BuiltinUser alice = new BuiltinUser("alice@example.com", "Alice \"Al\" </script>\u2028", List.of(), Optional.empty(),
                Optional.empty());
        PasskeyCredential phone = new PasskeyCredential("cred-1", "alice@example.com", new byte[] {1}, 0, "phone",
                Instant.parse("2026-12-01T00:00:00Z"), Optional.empty(), List.of("internal", "hybrid"));
        PasskeyCredential key = new PasskeyCredential("cred-2", "alice@example.com", new byte[] {2}, 0, "key",
                Instant.parse("2026-12-01T00:00:00Z"), Optional.empty(), List.of());

        assertThat(PasskeyOptions.creation(RP, alice, "aGFuZGxl", CHALLENGE, List.of(phone, key))).isEqualTo(
                "{\"rp\":{\"id\":\"auth.example.com\",\"name\":\"Portcullis\"},"
                + "\"user\":{\"id\":\"aGFuZGxl\",\"name\":\"alice@example.com\",\"displayName\":\"Alice \\\"Al\\\" </script>\u2028\"},"
                + "\"challenge\":\"Y2hhbGxlbmdl\","
                + "\"pubKeyCredParams\":[{\"type\":\"public-key\",\"alg\":-7},{\"type\":\"public-key\",\"alg\":-8},"
                + "{\"type\":\"public-key\",\"alg\":-257}],"
                + "\"timeout\":300000,"
                + "\"excludeCredentials\":[{\"type\":\"public-key\",\"id\":\"cred-1\",\"transports\":[\"internal\",\"hybrid\"]},"
                + "{\"type\":\"public-key\",\"id\":\"cred-2\"}],"
                + "\"authenticatorSelection\":{\"residentKey\":\"required\",\"requireResidentKey\":true,"
                + "\"userVerification\":\"required\"},"
                + "\"attestation\":\"none\"}");
    }

    @Test
    void aUserWithoutANameIsShownByEmail() {
        BuiltinUser bob = new BuiltinUser("bob@example.com", "", List.of(), Optional.empty(), Optional.empty());

        assertThat(PasskeyOptions.creation(RP, bob, "aGFuZGxl", CHALLENGE, List.of()))
                .contains("\"user\":{\"id\":\"aGFuZGxl\",\"name\":\"bob@example.com\",\"displayName\":\"bob@example.com\"}")
                .contains("\"excludeCredentials\":[]");
    }

    @Test
    void requestOptionsNameNoCredential() {
        assertThat(PasskeyOptions.request(RP, CHALLENGE)).isEqualTo("{\"challenge\":\"Y2hhbGxlbmdl\",\"timeout\":300000,"
                + "\"rpId\":\"auth.example.com\",\"allowCredentials\":[],\"userVerification\":\"required\"}");
    }
}
