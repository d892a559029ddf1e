package dev.portcullis.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.authn.assertion.SigningKeys;
import dev.portcullis.proxy.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.junit.jupiter.api.Test;

/**
 * {@code validate} and {@code serve} agree on {@code signing_key}: every key the signer refuses is a
 * configuration problem of both commands (exit 2), naming {@code SIGNING_KEY}, and every key it accepts
 * validates.
 */
class SigningKeyAgreementTest {
    private static final String SECRET = "4lBlWldXhvmx8ia0Fs+K0V0vQ0A/qVvD8cX1fk2I3n0=";

    private record Run(int code, String err) {}

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, err.toString(StandardCharsets.UTF_8));
    }

    private static Map<String, String> environment(String signingKeyPem) {
        return Map.of("COOKIE_SECRET", SECRET, "SHARED_SECRET", SECRET, "INSECURE_SERVER", "true",
                "ADDRESS", "127.0.0.1:0", "LOG_LEVEL", "error",
                "SIGNING_KEY", Base64.getEncoder().encodeToString(signingKeyPem.getBytes(StandardCharsets.UTF_8)),
                "POLICY", Base64.getEncoder().encodeToString("""
                        - from: https://httpbin.int.nas.example
                          to: http://httpbin
                          allow_public_unauthenticated_access: true
                        """.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyKeyTheSignerRefusesIsAProblemOfValidateAndServeNamingTheKey() throws Exception {
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("EC P-384", pkcs8(ec("secp384r1")));
        refused.put("EC P-521", pkcs8(ec("secp521r1")));
        refused.put("RSA 1024", pkcs8(rsa(1024)));
        refused.put("Ed25519", pkcs8(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate()));
        refused.put("a certificate", TestPki.ca("Not a key").certificatePem());
        refused.put("an encrypted key", encryptedPkcs8(ec("secp256r1")));
        refused.put("damaged base64 inside the PEM", "-----BEGIN PRIVATE KEY-----\nAAAAnotbase64!!\n-----END PRIVATE KEY-----\n");

        for (Map.Entry<String, String> key : refused.entrySet()) {
            assertThat(SigningKeys.problemWith(key.getValue())).as("the signer refuses %s", key.getKey()).isPresent();
            Run validate = run(environment(key.getValue()), "validate");
            Run serve = run(environment(key.getValue()));

            assertThat(validate.code()).as("validate with %s: %s", key.getKey(), validate.err()).isEqualTo(2);
            assertThat(validate.err()).as(key.getKey()).contains("SIGNING_KEY (signing_key): ");
            assertThat(serve.code()).as("serve with %s: %s", key.getKey(), serve.err()).isEqualTo(2);
            assertThat(serve.err()).as(key.getKey()).contains("SIGNING_KEY (signing_key): ");
        }
    }

    @Test
    void theMessageSaysWhatWasFoundAndWhatIsExpected() throws Exception {
        Run validate = run(environment(pkcs8(ec("secp384r1"))), "validate");

        assertThat(validate.err()).contains("  SIGNING_KEY (signing_key): found an EC key on curve secp384r1 (only P-256 /"
                + " prime256v1 is supported, for ES256) (expected: an unencrypted PEM private key, EC P-256 (ES256) or"
                + " RSA of at least 2048 bits (RS256))");
    }

    @Test
    void keysTheSignerAcceptsValidate() throws Exception {
        for (String pem : List.of(pkcs8(ec("secp256r1")), pkcs8(rsa(2048)))) {
            assertThat(SigningKeys.problemWith(pem)).isEmpty();
            Run validate = run(environment(pem), "validate");
            assertThat(validate.code()).as(validate.err()).isZero();
        }
    }

    private static PrivateKey ec(String curve) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair().getPrivate();
    }

    private static PrivateKey rsa(int bits) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(bits);
        return generator.generateKeyPair().getPrivate();
    }

    private static String pkcs8(PrivateKey key) throws Exception {
        return TestPki.pem(new JcaPKCS8Generator(key, null));
    }

    private static String encryptedPkcs8(PrivateKey key) throws Exception {
        OutputEncryptor encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
        return TestPki.pem(new JcaPKCS8Generator(key, encryptor));
    }
}
