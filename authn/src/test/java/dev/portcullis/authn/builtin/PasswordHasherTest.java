package dev.portcullis.authn.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    @Test
    void aHashVerifiesItsPasswordOnly() {
        String hash = PasswordHasher.hash("correct horse battery staple".toCharArray());

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHasher.verify("correct horse battery staple".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("correct horse battery stapler".toCharArray(), hash)).isFalse();
        assertThat(PasswordHasher.verify(new char[0], hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesWithADifferentSaltEachTime() {
        assertThat(PasswordHasher.hash("pw".toCharArray())).isNotEqualTo(PasswordHasher.hash("pw".toCharArray()));
    }

    @Test
    void verifiesTheReferenceImplementationsArgon2idVector() {
        // argon2 reference test.c: password "password", salt "somesalt", t=2, m=2^16, p=1
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";

        assertThat(PasswordHasher.verify("password".toCharArray(), reference)).isTrue();
        assertThat(PasswordHasher.verify("Password".toCharArray(), reference)).isFalse();
    }

    @Test
    void aTamperedHashNeverVerifies() {
        char[] password = "s3cret".toCharArray();
        String hash = PasswordHasher.hash(password);
        String[] parts = hash.split("\\$");
        String salt = parts[4];
        String output = parts[5];

        assertThat(PasswordHasher.verify(password, hash.replace(output, flipFirst(output)))).isFalse();
        assertThat(PasswordHasher.verify(password, hash.replace(salt, flipFirst(salt)))).isFalse();
        assertThat(PasswordHasher.verify(password, hash.replace("t=2", "t=3"))).isFalse();
        assertThat(PasswordHasher.verify(password, hash.replace("m=19456", "m=19457"))).isFalse();
        assertThat(PasswordHasher.verify(password, hash.replace("argon2id", "argon2i"))).isFalse();
        assertThat(PasswordHasher.verify(password, hash.replace("v=19", "v=16"))).isFalse();
        assertThat(PasswordHasher.verify(password, hash.substring(0, hash.length() - 4))).isFalse();
    }

    @Test
    void malformedOrOutOfBoundsHashesAreRefusedWithoutRunningArgon2() {
        char[] password = "x".toCharArray();

        assertThat(PasswordHasher.verify(password, "")).isFalse();
        assertThat(PasswordHasher.verify(password, "plaintext")).isFalse();
        assertThat(PasswordHasher.verify(password, "$2a$10$abcdefghijklmnopqrstuv")).isFalse();
        assertThat(PasswordHasher.verify(password,
                "$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isFalse();
        assertThat(PasswordHasher.verify(password,
                "$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc")).isFalse();
        assertThat(PasswordHasher.problem("nope")).isPresent();
        assertThat(PasswordHasher.problem(PasswordHasher.hash(password))).isEmpty();
    }

    @Test
    void passwordsAreUtf8() {
        char[] password = "pässwörd 🔑".toCharArray();
        String hash = PasswordHasher.hash(password);

        assertThat(PasswordHasher.verify("pässwörd 🔑".toCharArray(), hash)).isTrue();
        assertThat(PasswordHasher.verify("passwort 🔑".toCharArray(), hash)).isFalse();
    }

    private static String flipFirst(String base64) {
        return (base64.charAt(0) == 'A' ? "B" : "A") + base64.substring(1);
    }
}
