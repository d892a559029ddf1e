package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.portcullis.authn.builtin.BuiltinUser;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The option documents for the browser, in the JSON form of WebAuthn Level 3 (§5.1.9
 * {@code PublicKeyCredentialCreationOptionsJSON}, §5.1.10 {@code PublicKeyCredentialRequestOptionsJSON}):
 * binary members are base64url without padding, so a page passes them to
 * {@code PublicKeyCredential.parseCreationOptionsFromJSON} / {@code parseRequestOptionsFromJSON} as they are.
 *
 * <p>Registration asks for a discoverable credential (resident key required) with user verification required,
 * attestation {@code none}, and the algorithms ES256, EdDSA and RS256; the user's existing passkeys are
 * excluded. Authentication names no credential (discoverable: the authenticator offers the user's passkeys)
 * and asks for user verification.
 *
 * <p>Written with jackson-core's generator alone: the sign-in page carries the request options, and a proxy whose
 * users sign in with passwords should not load Jackson's databind (or webauthn4j) for it.
 */
public final class PasskeyOptions {

    private static final JsonFactory JSON = new JsonFactory();
    /** COSE algorithm ids (RFC 9053): ES256, EdDSA, RS256, in order of preference. */
    static final List<Integer> ALGORITHMS = List.of(-7, -8, -257);

    private PasskeyOptions() {
    }

    /** The {@code PublicKeyCredentialCreationOptionsJSON} for registering a passkey of {@code user}. */
    public static String creation(RelyingParty rp, BuiltinUser user, String userHandle, PasskeyChallenge challenge,
            List<PasskeyCredential> existing) {
        requireNonNull(rp, "rp");
        requireNonNull(user, "user");
        requireNonNull(userHandle, "userHandle");
        requireNonNull(challenge, "challenge");
        requireNonNull(existing, "existing");
        return written(options -> {
            options.writeObjectFieldStart("rp");
            options.writeStringField("id", rp.id());
            options.writeStringField("name", rp.name());
            options.writeEndObject();
            options.writeObjectFieldStart("user");
            options.writeStringField("id", userHandle);
            options.writeStringField("name", user.email());
            options.writeStringField("displayName", user.name().isEmpty() ? user.email() : user.name());
            options.writeEndObject();
            options.writeStringField("challenge", challenge.value());
            options.writeArrayFieldStart("pubKeyCredParams");
            for (int alg : ALGORITHMS) {
                options.writeStartObject();
                options.writeStringField("type", "public-key");
                options.writeNumberField("alg", alg);
                options.writeEndObject();
            }
            options.writeEndArray();
            options.writeNumberField("timeout", PasskeyChallenges.LIFETIME.toMillis());
            options.writeArrayFieldStart("excludeCredentials");
            for (PasskeyCredential credential : existing) {
                descriptor(options, credential);
            }
            options.writeEndArray();
            options.writeObjectFieldStart("authenticatorSelection");
            options.writeStringField("residentKey", "required");
            options.writeBooleanField("requireResidentKey", true);
            options.writeStringField("userVerification", "required");
            options.writeEndObject();
            options.writeStringField("attestation", "none");
        });
    }

    /** The {@code PublicKeyCredentialRequestOptionsJSON} for signing in with any passkey of this relying party. */
    public static String request(RelyingParty rp, PasskeyChallenge challenge) {
        requireNonNull(rp, "rp");
        requireNonNull(challenge, "challenge");
        return written(options -> {
            options.writeStringField("challenge", challenge.value());
            options.writeNumberField("timeout", PasskeyChallenges.LIFETIME.toMillis());
            options.writeStringField("rpId", rp.id());
            options.writeArrayFieldStart("allowCredentials");
            options.writeEndArray();
            options.writeStringField("userVerification", "required");
        });
    }

    private static void descriptor(JsonGenerator options, PasskeyCredential credential) throws IOException {
        options.writeStartObject();
        options.writeStringField("type", "public-key");
        options.writeStringField("id", credential.id());
        if (!credential.transports().isEmpty()) {
            options.writeArrayFieldStart("transports");
            for (String transport : credential.transports()) {
                options.writeString(transport);
            }
            options.writeEndArray();
        }
        options.writeEndObject();
    }

    /** One JSON object, its members written by {@code members}. */
    private static String written(Members members) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator options = JSON.createGenerator(text)) {
            options.writeStartObject();
            members.write(options);
            options.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    @FunctionalInterface
    private interface Members {
        void write(JsonGenerator options) throws IOException;
    }
}
