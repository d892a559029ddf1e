package dev.portcullis.authn.passkey;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.authn.builtin.BuiltinUser;
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
 */
public final class PasskeyOptions {

    private static final ObjectMapper JSON = new ObjectMapper();
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
        ObjectNode options = JSON.createObjectNode();
        options.putObject("rp").put("id", rp.id()).put("name", rp.name());
        options.putObject("user").put("id", userHandle).put("name", user.email())
                .put("displayName", user.name().isEmpty() ? user.email() : user.name());
        options.put("challenge", challenge.value());
        ArrayNode parameters = options.putArray("pubKeyCredParams");
        ALGORITHMS.forEach(alg -> parameters.addObject().put("type", "public-key").put("alg", alg));
        options.put("timeout", PasskeyChallenges.LIFETIME.toMillis());
        ArrayNode exclude = options.putArray("excludeCredentials");
        existing.forEach(credential -> descriptor(exclude.addObject(), credential));
        options.putObject("authenticatorSelection").put("residentKey", "required").put("requireResidentKey", true)
                .put("userVerification", "required");
        options.put("attestation", "none");
        return text(options);
    }

    /** The {@code PublicKeyCredentialRequestOptionsJSON} for signing in with any passkey of this relying party. */
    public static String request(RelyingParty rp, PasskeyChallenge challenge) {
        requireNonNull(rp, "rp");
        requireNonNull(challenge, "challenge");
        ObjectNode options = JSON.createObjectNode();
        options.put("challenge", challenge.value());
        options.put("timeout", PasskeyChallenges.LIFETIME.toMillis());
        options.put("rpId", rp.id());
        options.putArray("allowCredentials");
        options.put("userVerification", "required");
        return text(options);
    }

    private static void descriptor(ObjectNode node, PasskeyCredential credential) {
        node.put("type", "public-key").put("id", credential.id());
        if (!credential.transports().isEmpty()) {
            ArrayNode transports = node.putArray("transports");
            credential.transports().forEach(transports::add);
        }
    }

    private static String text(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
