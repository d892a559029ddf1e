package dev.portcullis.authn.passkey;

import com.webauthn4j.WebAuthnManager;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.credential.CredentialRecord;
import com.webauthn4j.credential.CredentialRecordImpl;
import com.webauthn4j.data.AuthenticatorTransport;
import com.webauthn4j.data.PublicKeyCredentialParameters;
import com.webauthn4j.data.PublicKeyCredentialType;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.client.Origin;
import com.webauthn4j.data.client.challenge.DefaultChallenge;
import com.webauthn4j.server.ServerProperty;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What both ceremonies share: webauthn4j's verifier for one relying party, and the conversions between a
 * {@link PasskeyCredential} and webauthn4j's credential record. Attestation is not relied upon: every format is
 * accepted without checking who made the authenticator ({@code none} included), as the options ask for none.
 *
 * <p>webauthn4j (and the Jackson 3 with CBOR it reads and writes with) is set up at the first ceremony that needs
 * it, not when the built-in provider starts: about 870 classes and several MiB that a proxy whose users sign in
 * with passwords never needs (docs/performance.md).
 */
final class CeremonyVerifier {

    private final RelyingParty rp;

    CeremonyVerifier(RelyingParty rp) {
        this.rp = rp;
    }

    WebAuthnManager manager() {
        return Webauthn4j.MANAGER;
    }

    /** The origin, RP ID and challenge a response must carry. */
    ServerProperty expected(PasskeyChallenge challenge) {
        return ServerProperty.builder().origin(new Origin(rp.origin())).rpId(rp.id())
                .challenge(new DefaultChallenge(challenge.value())).build();
    }

    List<PublicKeyCredentialParameters> algorithms() {
        return PasskeyOptions.ALGORITHMS.stream()
                .map(alg -> new PublicKeyCredentialParameters(PublicKeyCredentialType.PUBLIC_KEY, COSEAlgorithmIdentifier.create(alg)))
                .collect(Collectors.toList());
    }

    byte[] coseBytes(COSEKey key) {
        return Webauthn4j.CONVERTER.getCborConverter().writeValueAsBytes(key);
    }

    /** webauthn4j's record of {@code credential}, to verify an assertion against. */
    CredentialRecord record(PasskeyCredential credential) {
        COSEKey key = Webauthn4j.CONVERTER.getCborConverter().readValue(credential.publicKey(), COSEKey.class);
        Set<AuthenticatorTransport> transports = credential.transports().stream().map(AuthenticatorTransport::create)
                .collect(Collectors.toSet());
        return new CredentialRecordImpl(new NoneAttestationStatement(), null, null, null, credential.signCount(),
                new AttestedCredentialData(AAGUID.ZERO, Base64.getUrlDecoder().decode(credential.id()), key),
                null, null, null, transports);
    }

    /**
     * webauthn4j's converter and verifier, made when this class is first used (the JVM initialises a class once, on
     * first use, and safely for every thread); they hold nothing of a relying party, so both ceremonies share them.
     */
    private static final class Webauthn4j {
        static final ObjectConverter CONVERTER = new ObjectConverter();
        static final WebAuthnManager MANAGER = WebAuthnManager.createNonStrictWebAuthnManager(CONVERTER);

        private Webauthn4j() {
        }
    }

    static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
