package dev.portcullis.authn.assertion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;

class SigningKeyPemTest {

    private static KeyPair ec;
    private static KeyPair rsa;

    @BeforeAll
    static void keys() {
        ec = TestPem.ec("secp256r1");
        rsa = TestPem.rsa(2048);
    }

    @Test
    void ecSec1IsEs256WithTheFilesPublicKey() throws Exception {
        String pem = TestPem.sec1(ec, true);
        assertThat(pem).startsWith("-----BEGIN EC PRIVATE KEY-----");

        SigningKey key = SigningKey.fromPem(pem);

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(((ECKey) key.publicJwk()).toECPublicKey().getW()).isEqualTo(((ECPublicKey) ec.getPublic()).getW());
        assertThat(key.kid()).isEqualTo(java.util.HexFormat.of().formatHex(new ECKey.Builder(Curve.P_256,
                (ECPublicKey) ec.getPublic()).build().computeThumbprint().decode()));
    }

    @Test
    void ecPkcs8IsEs256() throws Exception {
        String pem = TestPem.pkcs8(ec.getPrivate());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");

        SigningKey key = SigningKey.fromPem(pem);

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(key.kid()).isEqualTo(SigningKey.fromPem(TestPem.sec1(ec, true)).kid());
    }

    @Test
    void ecSec1WithoutThePublicPointStillGivesTheSameKey() {
        assertThat(SigningKey.fromPem(TestPem.sec1(ec, false)).kid()).isEqualTo(SigningKey.fromPem(TestPem.sec1(ec, true)).kid());
    }

    @Test
    void refusesAnEcKeyThatDoesNotNameItsCurve() {
        // Bouncy Castle's writer leaves the curve out of SEC1 when converting a JDK key.
        assertRefused(TestPem.traditional(ec.getPrivate()), "without a named curve", "EC P-256");
    }

    @Test
    void ecKeyAfterAnEcParametersBlockAsOpensslEcparamWritesIt() {
        String parameters = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n";

        SigningKey key = SigningKey.fromPem(parameters + TestPem.sec1(ec, true));

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES256);
    }

    @Test
    void rsaPkcs1IsRs256() throws Exception {
        String pem = TestPem.traditional(rsa.getPrivate());
        assertThat(pem).startsWith("-----BEGIN RSA PRIVATE KEY-----");

        SigningKey key = SigningKey.fromPem(pem);

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(((RSAKey) key.publicJwk()).toRSAPublicKey().getModulus())
                .isEqualTo(((RSAPublicKey) rsa.getPublic()).getModulus());
    }

    @Test
    void rsaPkcs8IsRs256() {
        String pem = TestPem.pkcs8(rsa.getPrivate());
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");

        SigningKey key = SigningKey.fromPem(pem);

        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.kid()).isEqualTo(SigningKey.fromPem(TestPem.traditional(rsa.getPrivate())).kid());
    }

    @Test
    void refusesP384() {
        String pem = TestPem.sec1(TestPem.ec("secp384r1"), true);

        assertRefused(pem, "EC key on curve secp384r1", "P-256");
    }

    @Test
    void refusesShortRsa() {
        String pem = TestPem.pkcs8(TestPem.rsa(1024).getPrivate());

        assertRefused(pem, "RSA key of 1024 bits", "at least 2048");
    }

    @Test
    void refusesGarbage() {
        assertRefused("hello, world", "no PEM block", "decode it first");
        assertRefused("-----BEGIN EC PRIVATE KEY-----\nnot*base64!\n-----END EC PRIVATE KEY-----\n", "unreadable PEM", "EC P-256");
        assertRefused("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "unreadable PEM", "EC P-256");
        assertRefused("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n", "unreadable PEM", "EC P-256");
    }

    @Test
    void refusesBase64OfPemWithAHint() {
        String base64 = Base64.getEncoder().encodeToString(TestPem.sec1(ec, true).getBytes());

        assertRefused(base64, "no PEM block", "base64");
    }

    @Test
    void refusesEncryptedKeys() {
        assertRefused(TestPem.encryptedPkcs8(ec.getPrivate()), "encrypted private key", "unencrypted");
        assertRefused(TestPem.encryptedTraditional(ec.getPrivate()), "encrypted private key", "unencrypted");
    }

    @Test
    void refusesPublicKeysAndOtherKeyTypes() throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(ec.getPublic());
        }
        assertRefused(out.toString(), "a public key", "private key");

        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertRefused(TestPem.pkcs8(ed.getPrivate()), "Ed25519", "EC P-256");
    }

    @Test
    void messagesAndToStringCarryNoKeyMaterial() {
        String pem = TestPem.sec1(TestPem.ec("secp384r1"), true);
        String body = pem.lines().filter(line -> !line.startsWith("-----")).reduce("", String::concat);
        Throwable refusal = catchRefusal(pem);
        assertThat(refusal.getMessage()).doesNotContain(body.substring(0, 16));
        assertThat(refusal.getCause()).isNull();

        SigningKey key = SigningKey.fromPem(TestPem.sec1(ec, true));
        BigInteger d = ((ECPrivateKey) ec.getPrivate()).getS();
        String dBase64Url = Base64.getUrlEncoder().withoutPadding().encodeToString(d.toByteArray());
        assertThat(key.toString()).isEqualTo("SigningKey[ES256, kid=" + key.kid() + "]");
        assertThat(key.publicJwk().isPrivate()).isFalse();
        assertThat(key.publicJwk().toJSONString()).doesNotContain("\"d\"").doesNotContain(dBase64Url);
    }

    private static void assertRefused(String pem, String found, String expected) {
        assertThatThrownBy(() -> SigningKey.fromPem(pem))
                .isInstanceOf(InvalidSigningKeyException.class)
                .hasMessageStartingWith("signing_key: ")
                .hasMessageContaining(found)
                .hasMessageContaining(expected);
    }

    private static Throwable catchRefusal(String pem) {
        try {
            SigningKey.fromPem(pem);
        } catch (InvalidSigningKeyException e) {
            return e;
        }
        throw new AssertionError("expected a refusal");
    }
}
