package dev.portcullis.authn.passkey;

import com.webauthn4j.converter.AttestationObjectConverter;
import com.webauthn4j.converter.AuthenticatorDataConverter;
import com.webauthn4j.converter.util.ObjectConverter;
import com.webauthn4j.data.attestation.AttestationObject;
import com.webauthn4j.data.attestation.authenticator.AAGUID;
import com.webauthn4j.data.attestation.authenticator.AttestedCredentialData;
import com.webauthn4j.data.attestation.authenticator.AuthenticatorData;
import com.webauthn4j.data.attestation.authenticator.EC2COSEKey;
import com.webauthn4j.data.attestation.statement.COSEAlgorithmIdentifier;
import com.webauthn4j.data.attestation.statement.NoneAttestationStatement;
import com.webauthn4j.data.extension.authenticator.RegistrationExtensionAuthenticatorOutput;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A software authenticator for tests, built with webauthn4j's own model classes (webauthn4j-test is not
 * published): a P-256 key, attestation {@code none}, and responses in the JSON of {@code PublicKeyCredential.toJSON()}.
 * What a real browser would check (origin, RP ID) is whatever the test passes, so tests can lie like a phishing page.
 */
public final class TestAuthenticator {

    private static final ObjectConverter CONVERTER = new ObjectConverter();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final KeyPair key;
    private final byte[] credentialId = new byte[16];

    public TestAuthenticator() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            key = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        new SecureRandom().nextBytes(credentialId);
    }

    /** A copy of this authenticator (the same key and credential id): a cloned passkey. */
    private TestAuthenticator(TestAuthenticator original) {
        this.key = original.key;
        System.arraycopy(original.credentialId, 0, credentialId, 0, credentialId.length);
    }

    public TestAuthenticator cloned() {
        return new TestAuthenticator(this);
    }

    public String credentialId() {
        return B64.encodeToString(credentialId);
    }

    /** The response to {@code navigator.credentials.create()}. */
    public String register(String challenge, String origin, String rpId, boolean userVerified) {
        byte flags = (byte) (AuthenticatorData.BIT_UP | AuthenticatorData.BIT_AT | (userVerified ? AuthenticatorData.BIT_UV : 0));
        EC2COSEKey publicKey = EC2COSEKey.create((ECPublicKey) key.getPublic(), COSEAlgorithmIdentifier.ES256);
        AuthenticatorData<RegistrationExtensionAuthenticatorOutput> authenticatorData = new AuthenticatorData<>(
                sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags, 0,
                new AttestedCredentialData(AAGUID.ZERO, credentialId, publicKey));
        byte[] attestationObject = new AttestationObjectConverter(CONVERTER)
                .convertToBytes(new AttestationObject(authenticatorData, new NoneAttestationStatement()));
        String clientData = clientData("webauthn.create", challenge, origin);
        return "{\"id\":\"" + credentialId() + "\",\"rawId\":\"" + credentialId() + "\",\"type\":\"public-key\","
                + "\"response\":{\"clientDataJSON\":\"" + B64.encodeToString(clientData.getBytes(StandardCharsets.UTF_8))
                + "\",\"attestationObject\":\"" + B64.encodeToString(attestationObject) + "\",\"transports\":[\"internal\",\"hybrid\"]},"
                + "\"clientExtensionResults\":{}}";
    }

    /** The response to {@code navigator.credentials.get()} with this signature counter. */
    public String authenticate(String challenge, String origin, String rpId, String userHandle, long signCount,
            boolean userVerified) {
        byte flags = (byte) (AuthenticatorData.BIT_UP | (userVerified ? AuthenticatorData.BIT_UV : 0));
        byte[] authenticatorData = new AuthenticatorDataConverter(CONVERTER)
                .convert(new AuthenticatorData<>(sha256(rpId.getBytes(StandardCharsets.UTF_8)), flags, signCount));
        byte[] clientData = clientData("webauthn.get", challenge, origin).getBytes(StandardCharsets.UTF_8);
        byte[] signature;
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key.getPrivate());
            signer.update(authenticatorData);
            signer.update(sha256(clientData));
            signature = signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return "{\"id\":\"" + credentialId() + "\",\"rawId\":\"" + credentialId() + "\",\"type\":\"public-key\","
                + "\"response\":{\"clientDataJSON\":\"" + B64.encodeToString(clientData)
                + "\",\"authenticatorData\":\"" + B64.encodeToString(authenticatorData)
                + "\",\"signature\":\"" + B64.encodeToString(signature) + "\",\"userHandle\":\"" + userHandle + "\"},"
                + "\"clientExtensionResults\":{}}";
    }

    private static String clientData(String type, String challenge, String origin) {
        return "{\"type\":\"" + type + "\",\"challenge\":\"" + challenge + "\",\"origin\":\"" + origin + "\",\"crossOrigin\":false}";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
