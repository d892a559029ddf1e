package dev.portcullis.authn.store.redis;

import static dev.portcullis.authn.store.Answers.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.portcullis.authn.builtin.BuiltinIdentityProvider;
import dev.portcullis.authn.builtin.BuiltinIdentityProvider.IssuedCode;
import dev.portcullis.authn.builtin.BuiltinSignIn;
import dev.portcullis.authn.builtin.BuiltinSignIn.Outcome;
import dev.portcullis.authn.builtin.BuiltinSignIn.PendingTotp;
import dev.portcullis.authn.builtin.BuiltinStores;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.IssuedCodeCodec;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.PendingTotpCodec;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.idp.AuthorizationRequest;
import dev.portcullis.authn.idp.IdentityProviderException;
import dev.portcullis.authn.idp.SignedInUser;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The built-in provider on two replicas, each with its own connection and its {@link RedisBuiltinStores#shared}
 * stores, in one real Redis: tickets and codes work once across both, a removed user's code is refused, and Redis
 * never holds a password hash or TOTP secret.
 */
class RedisBuiltinStoresTest {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
    private static final String PREFIX = "portcullis:";
    private static final URI PAGE = URI.create("https://authenticate.example.com/.pomerium/builtin/sign_in");
    private static final URI CALLBACK = URI.create("https://authenticate.example.com/oauth2/callback");
    /** Base32 of the bytes of {@link #TOTP_KEY}. */
    private static final String TOTP_SECRET = "JBSWY3DPEHPK3PXP";
    private static final byte[] TOTP_KEY = {0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x21, (byte) 0xde, (byte) 0xad, (byte) 0xbe,
            (byte) 0xef};
    private static final String PASSWORD = "ada's password";
    private static final String HASH = PasswordHasher.hash(PASSWORD.toCharArray());
    private static final BuiltinUser ADA = new BuiltinUser("Ada@Example.com", "Ada", List.of("admins"), Optional.of(HASH),
            Optional.of(TOTP_SECRET));
    private static final BuiltinUser BOB = new BuiltinUser("bob@example.com", "Bob", List.of(), Optional.of(HASH), Optional.empty());

    private final Clock clock = Clock.systemUTC();
    private final AtomicReference<UsersFile> users = new AtomicReference<>(UsersFile.empty().with(ADA).with(BOB));
    private final AuthorizationRequest request = AuthorizationRequest.start(CALLBACK, new SecureRandom());
    private TestRedis redis;
    private RedisStoreConnection replicaA;
    private RedisStoreConnection replicaB;
    private RedisClient rawClient;
    private StatefulRedisConnection<String, String> raw;

    @BeforeEach
    void start() throws Exception {
        redis = TestRedis.start();
        replicaA = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        replicaB = new RedisStoreConnection(redis.uri(), COMMAND_TIMEOUT);
        rawClient = RedisClient.create(redis.uri());
        raw = rawClient.connect();
    }

    @AfterEach
    void stop() {
        raw.close();
        rawClient.shutdown();
        replicaA.close();
        replicaB.close();
        redis.close();
    }

    @Test
    void theCodecsReadBackWhatTheyWroteAndRefuseAnythingElse() {
        PendingTotpCodec tickets = new PendingTotpCodec();
        IssuedCodeCodec codes = new IssuedCodeCodec();
        PendingTotp pending = new PendingTotp("ada@example.com");
        IssuedCode issued = new IssuedCode("ada@example.com", "state \"with\" quotes\\ and ünïcode", "nonce-1");

        assertThat(tickets.decode(tickets.encode(pending))).isEqualTo(pending);
        assertThat(codes.decode(codes.encode(issued))).isEqualTo(issued);
        assertThat(codes.encode(issued)).startsWith("{\"v\":1,");

        for (String foreign : List.of("", "ada@example.com", "{\"v\":2,\"email\":\"ada@example.com\"}",
                "{\"email\":\"ada@example.com\"}", "{\"v\":1,\"email\":42}", "{\"v\":1}")) {
            assertThatThrownBy(() -> tickets.decode(foreign)).as(foreign).isInstanceOf(IllegalArgumentException.class)
                    .message().doesNotContain("ada@example.com");
        }
        assertThatThrownBy(() -> codes.decode("{\"v\":1,\"email\":\"ada@example.com\",\"state\":\"s\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCodeIssuedOnOneReplicaIsRedeemedOnceOnEither() throws Exception {
        BuiltinIdentityProvider a = provider(replicaA);
        BuiltinIdentityProvider b = provider(replicaB);
        String code = answer(a.issueCode(ADA, request.state(), request.nonce()));

        SignedInUser user = answer(b.redeem(code, request));
        assertThat(user.userId()).isEqualTo("ada@example.com");
        assertThat(user.groups()).containsExactly("admins");
        assertRejected(a.redeem(code, request), "unknown, used or expired");
        assertRejected(b.redeem(code, request), "unknown, used or expired");
    }

    @Test
    void aCodeOfAUserRemovedBeforeItIsRedeemedIsRefused() throws Exception {
        String code = answer(provider(replicaA).issueCode(BOB, request.state(), request.nonce()));
        users.set(UsersFile.empty().with(ADA));

        assertRejected(provider(replicaB).redeem(code, request), "no longer exists");
        assertRejected(provider(replicaA).redeem(code, request), "unknown, used or expired");
    }

    @Test
    void aTotpTicketFromOneReplicaWorksOnceOnTheOtherAndRedisHoldsNoCredential() throws Exception {
        BuiltinSignIn a = signIn(replicaA);
        BuiltinSignIn b = signIn(replicaB);
        Outcome afterPassword = answer(a.password("ada@example.com", PASSWORD.toCharArray(), "192.0.2.1"));
        assertThat(afterPassword).isInstanceOf(Outcome.NeedsTotp.class);
        String ticket = ((Outcome.NeedsTotp) afterPassword).pendingTicket();
        String code = answer(provider(replicaA).issueCode(ADA, request.state(), request.nonce()));

        Map<String, String> stored = everything(raw.sync());
        assertThat(stored.keySet()).as("the ticket and the code, each under its prefix")
                .contains(PREFIX + "totp-ticket:" + ticket, PREFIX + "builtin-code:" + code);
        for (Map.Entry<String, String> entry : stored.entrySet()) {
            assertThat(entry.getValue()).as(entry.getKey())
                    .doesNotContain(HASH).doesNotContain("$argon2id").doesNotContain(TOTP_SECRET)
                    .doesNotContain(PASSWORD);
        }

        Outcome signedIn = answer(b.totp(ticket, totpCode(Instant.now()), "192.0.2.1"));
        assertThat(signedIn).isInstanceOfSatisfying(Outcome.SignedIn.class,
                s -> assertThat(s.user().normalizedEmail()).isEqualTo("ada@example.com"));
        assertThat(answer(a.totp(ticket, totpCode(Instant.now()), "192.0.2.1"))).as("the ticket is used up")
                .isInstanceOf(Outcome.Refused.class);
        for (String value : everything(raw.sync()).values()) {
            assertThat(value).doesNotContain(TOTP_SECRET).doesNotContain(HASH);
        }
    }

    private BuiltinStores stores(RedisStoreConnection connection) {
        return RedisBuiltinStores.shared(connection, PREFIX, clock);
    }

    private BuiltinIdentityProvider provider(RedisStoreConnection connection) {
        return new BuiltinIdentityProvider(PAGE, users::get, stores(connection).codes(), clock);
    }

    private BuiltinSignIn signIn(RedisStoreConnection connection) {
        return new BuiltinSignIn(users::get, Runnable::run, clock, stores(connection));
    }

    /** Every key in Redis with its value, read as a plain client would (strings, hashes, sorted sets). */
    private static Map<String, String> everything(RedisCommands<String, String> commands) {
        Map<String, String> values = new LinkedHashMap<>();
        KeyScanCursor<String> page = commands.scan();
        while (true) {
            for (String key : page.getKeys()) {
                String type = commands.type(key);
                values.put(key, switch (type) {
                    case "string" -> commands.get(key);
                    case "hash" -> commands.hgetall(key).toString();
                    case "zset" -> commands.zrange(key, 0, -1).toString();
                    default -> type;
                });
            }
            if (page.isFinished()) {
                return values;
            }
            page = commands.scan(ScanCursor.of(page.getCursor()));
        }
    }

    /** RFC 6238's code of {@link #TOTP_KEY} at {@code now} (HMAC-SHA1, 30-second steps, 6 digits). */
    private static String totpCode(Instant now) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(TOTP_KEY, "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(now.getEpochSecond() / 30).array());
        int offset = hash[hash.length - 1] & 0xf;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }

    private static void assertRejected(CompletionStage<?> stage, String message) {
        assertThatThrownBy(() -> stage.toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(IdentityProviderException.class,
                        e -> assertThat(e.kind()).isEqualTo(IdentityProviderException.Kind.REJECTED))
                .hasMessageContaining(message);
    }
}
