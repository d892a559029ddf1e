package dev.portcullis.authn.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.interfaces.ECPrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPrivateKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;

class SigningKeyDerivationTest {

    private static final BigInteger N = new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private final SecureRandom random = new SecureRandom();

    @Test
    void sameSecretSameKeyOnEveryReplica() throws Exception {
        byte[] secret = secret();
        SigningKey replicaA = SigningKey.derivedFrom(secret);
        SigningKey replicaB = SigningKey.derivedFrom(secret.clone());

        assertThat(replicaA.algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(replicaB.kid()).isEqualTo(replicaA.kid());

        Instant now = Instant.now();
        AssertionSubject subject = new AssertionSubject("s1", "u1", "a@example.com", "A", List.of(), now.plusSeconds(3600));
        String token = new AssertionSigner(replicaA).assertionFor(subject, "app.example", now);
        Jose4jVerifier.verify(token, new KeySetDocuments(replicaB).jwksJson(), "ES256", "app.example", now);
    }

    @Test
    void differentSecretDifferentKey() {
        assertThat(SigningKey.derivedFrom(secret()).kid()).isNotEqualTo(SigningKey.derivedFrom(secret()).kid());
    }

    /**
     * Pomerium's own test vector (config/options_test.go, TestOptions_GetSigningKey "deterministic"): the shared
     * secret base64("ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890+/AAAA=") derives this EC key.
     */
    private static final String POMERIUM_SECRET_TEXT = "ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890+/AAAA=";
    private static final String POMERIUM_DERIVED_PEM = """
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEIKgZBs2Con07f98aF1eGk8Z+6pMIXTy9gsMiddPEMhv9oAoGCCqGSM49
            AwEHoUQDQgAE2EUdBs4O1nfxBWQ2AIZRnFih9sBmSKp0vhRvcWljmqLxmBISoJMj
            9ocNmZaB7dTBIPOBz5rTQQRxwo3egxzK5Q==
            -----END EC PRIVATE KEY-----
            """;

    @Test
    void derivesPomeriumsKeyFromPomeriumsTestVector() throws Exception {
        byte[] secret = POMERIUM_SECRET_TEXT.getBytes(StandardCharsets.US_ASCII);
        ECPrivateKey pomeriums = (ECPrivateKey) new JcaPEMKeyConverter()
                .getKeyPair((PEMKeyPair) new PEMParser(new StringReader(POMERIUM_DERIVED_PEM)).readObject()).getPrivate();

        assertThat(SharedSecretKeyDerivation.scalarFrom(secret)).isEqualTo(pomeriums.getS());
        assertThat(independentScalar(secret)).isEqualTo(pomeriums.getS());
        SigningKey derived = SigningKey.derivedFrom(secret);
        assertThat(derived.kid()).isEqualTo(SigningKey.fromPem(POMERIUM_DERIVED_PEM).kid())
                .isEqualTo(independentKid((ECKey) derived.publicJwk()));
    }

    @Test
    void kidIsTheHexRfc7638ThumbprintAsPomeriumWritesIt() throws Exception {
        SigningKey key = SigningKey.derivedFrom(secret());

        assertThat(key.kid()).matches("[0-9a-f]{64}").isEqualTo(independentKid((ECKey) key.publicJwk()));
    }

    @Test
    void derivationFollowsTheDocumentedHkdfParameters() throws Exception {
        byte[] secret = secret();
        BigInteger expected = independentScalar(secret);

        assertThat(SharedSecretKeyDerivation.scalarFrom(secret)).isEqualTo(expected);

        // The published public key belongs to that scalar: a JDK signature with it verifies.
        SigningKey key = SigningKey.derivedFrom(secret);
        ECPublicKey publicKey = ((ECKey) key.publicJwk()).toECPublicKey();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(expected, publicKey.getParams())));
        signer.update("portcullis".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(publicKey);
        verifier.update("portcullis".getBytes(StandardCharsets.US_ASCII));
        assertThat(verifier.verify(signature)).isTrue();
    }

    @Test
    void scalarIsAlwaysInRange() {
        for (int i = 0; i < 20_000; i++) {
            BigInteger d = SharedSecretKeyDerivation.scalarFrom(secret());
            assertThat(d.signum()).isPositive();
            assertThat(d).isLessThan(N);
        }
    }

    @Test
    void scalarReductionAtTheEdges() {
        assertThat(SharedSecretKeyDerivation.scalarFromOutputKeyingMaterial(new byte[40])).isEqualTo(BigInteger.ONE);
        byte[] allOnes = new byte[40];
        Arrays.fill(allOnes, (byte) 0xFF);
        assertThat(SharedSecretKeyDerivation.scalarFromOutputKeyingMaterial(allOnes)).isBetween(BigInteger.ONE, N.subtract(BigInteger.ONE));
        assertThat(SharedSecretKeyDerivation.scalarFromOutputKeyingMaterial(bytes40(N.subtract(BigInteger.ONE)))).isEqualTo(BigInteger.ONE);
        assertThat(SharedSecretKeyDerivation.scalarFromOutputKeyingMaterial(bytes40(N.subtract(BigInteger.TWO)))).isEqualTo(N.subtract(BigInteger.ONE));
    }

    @Test
    void refusesAShortSecret() {
        assertThatThrownBy(() -> SigningKey.derivedFrom(new byte[16]))
                .isInstanceOf(InvalidSigningKeyException.class)
                .hasMessage("shared_secret: 16 bytes (expected: at least 32; make one with `head -c32 /dev/urandom | base64`)");
    }

    @Test
    void toStringShowsNoSecret() {
        SigningKey key = SigningKey.derivedFrom(secret());
        assertThat(key).hasToString("SigningKey[ES256, kid=" + key.kid() + "]");
        assertThat(key.publicJwk().isPrivate()).isFalse();
    }

    /**
     * RFC 7638 by hand: SHA-256 over {@code {"crv":..,"kty":"EC","x":..,"y":..}} (members in lexical order, no
     * spaces), in hex as Pomerium's {@code cryptutil.loadKeys} writes the kid.
     */
    private static String independentKid(ECKey key) throws Exception {
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + key.getX() + "\",\"y\":\"" + key.getY() + "\"}";
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.US_ASCII));
        return String.format("%064x", new BigInteger(1, digest));
    }

    /** RFC 5869 with the JDK's HMAC: extract with a zero salt, expand with Pomerium's info, 40 bytes; then FIPS 186-4 B.4.1. */
    private static BigInteger independentScalar(byte[] secret) throws Exception {
        Mac extract = Mac.getInstance("HmacSHA256");
        extract.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = extract.doFinal(secret);
        Mac expand = Mac.getInstance("HmacSHA256");
        expand.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] info = "derived-jwt-signing-key".getBytes(StandardCharsets.US_ASCII);
        expand.update(info);
        expand.update((byte) 1);
        byte[] t1 = expand.doFinal();
        expand.update(t1);
        expand.update(info);
        expand.update((byte) 2);
        byte[] t2 = expand.doFinal();
        byte[] okm = Arrays.copyOf(t1, 40);
        System.arraycopy(t2, 0, okm, 32, 8);
        return new BigInteger(1, okm).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }

    private static byte[] bytes40(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[40];
        int length = Math.min(raw.length, 40);
        System.arraycopy(raw, raw.length - length, out, 40 - length, length);
        return out;
    }

    private byte[] secret() {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        return secret;
    }
}
