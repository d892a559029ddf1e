package dev.portcullis.authn.builtin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id password hashes (RFC 9106) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (salt and hash in unpadded standard base64),
 * the format of the reference implementation, so hashes made by the {@code argon2} tool verify here.
 *
 * <p>New hashes use OWASP's recommended minimum for Argon2id: 19 MiB of memory ({@code m=19456} KiB),
 * 2 passes, 1 lane, a 16-byte random salt and a 32-byte output. One hash or verification takes about
 * 75 ms (measured 74 to 81 ms, mean of 20 after warm-up; up to 170 ms while the machine was busy) on
 * the 2-core AMD EPYC build machine with Bouncy Castle 1.82 and Java 17, and allocates 19 MiB, so it
 * must run on a bounded executor, never an event loop; a few in parallel bound the memory it takes. Verification accepts other parameters within
 * {@link #MAX_MEMORY_KIB}, {@link #MAX_PASSES} and {@link #MAX_LANES}, so a hash from elsewhere can be
 * pasted into the users file; a malformed hash never verifies.
 *
 * <p>The password is encoded as UTF-8, without Unicode normalisation.
 */
public final class PasswordHasher {

    static final int MEMORY_KIB = 19_456;
    static final int PASSES = 2;
    static final int LANES = 1;
    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    /** Bounds on a hash's parameters, so that a hash pasted into the file cannot exhaust the machine. */
    static final int MAX_MEMORY_KIB = 1 << 20;
    static final int MAX_PASSES = 16;
    static final int MAX_LANES = 16;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,88})\\$([A-Za-z0-9+/]{16,172})");

    private PasswordHasher() {}

    /** A new hash of {@code password} with a random salt; takes one Argon2id run (see the class comment). */
    public static String hash(char[] password) {
        requireNonNull(password, "password");
        byte[] salt = new byte[SALT_BYTES];
        NonBlockingRandom.get().nextBytes(salt);
        Parameters parameters = new Parameters(MEMORY_KIB, PASSES, LANES, salt, HASH_BYTES, null);
        byte[] hash = argon2(password, parameters);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + PASSES + ",p=" + LANES + "$"
                + base64.encodeToString(salt) + "$" + base64.encodeToString(hash);
    }

    /**
     * Whether {@code password} matches {@code phc}, compared in constant time. A malformed hash, or one
     * whose parameters exceed the bounds, is false without running Argon2.
     */
    public static boolean verify(char[] password, String phc) {
        requireNonNull(password, "password");
        requireNonNull(phc, "phc");
        Optional<Parameters> parsed = parse(phc);
        if (parsed.isEmpty()) {
            return false;
        }
        byte[] expected = parsed.get().expected();
        byte[] actual = argon2(password, parsed.get());
        return MessageDigest.isEqual(actual, expected);
    }

    /** Why {@code phc} cannot be verified, or empty when it is a well-formed Argon2id hash within bounds. */
    public static Optional<String> problem(String phc) {
        return parse(phc).isPresent() ? Optional.empty()
                : Optional.of("not an Argon2id hash like $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>"
                        + " (expected: the output of portcullis users add or passwd)");
    }

    private static Optional<Parameters> parse(String phc) {
        Matcher matcher = PHC.matcher(phc);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        int memory = Integer.parseInt(matcher.group(1));
        int passes = Integer.parseInt(matcher.group(2));
        int lanes = Integer.parseInt(matcher.group(3));
        if (lanes < 1 || lanes > MAX_LANES || passes < 1 || passes > MAX_PASSES
                || memory < 8 * lanes || memory > MAX_MEMORY_KIB) {
            return Optional.empty();
        }
        try {
            byte[] salt = Base64.getDecoder().decode(matcher.group(4));
            byte[] expected = Base64.getDecoder().decode(matcher.group(5));
            if (salt.length < 8 || expected.length < 12) {
                return Optional.empty();
            }
            return Optional.of(new Parameters(memory, passes, lanes, salt, expected.length, expected));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] argon2(char[] password, Parameters parameters) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        Arrays.fill(encoded.array(), (byte) 0);
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(parameters.memoryKib())
                .withIterations(parameters.passes())
                .withParallelism(parameters.lanes())
                .withSalt(parameters.salt())
                .build());
        byte[] out = new byte[parameters.outputBytes()];
        try {
            generator.generateBytes(bytes, out);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
        return out;
    }

    /** An Argon2id run's parameters; {@code expected} is the stored output when verifying, else null. */
    private record Parameters(int memoryKib, int passes, int lanes, byte[] salt, int outputBytes, byte[] expected) {}
}
