package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.proxy.testing.RunningProxy;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import dev.portcullis.proxy.testing.TestUpstream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.util.encoders.Base32;

/**
 * A proxy with {@code idp_provider: builtin}: the users file in a temporary directory, the
 * authenticate service on {@code authenticate.test}, an upstream that records what it receives, and
 * three routes: {@code app.test} (alice@example.com only), {@code any.test} (anyone signed in) and
 * {@code public.test} (anyone). Helpers
 * walk a cookie-keeping client through the sign-in pages; the static ones serve any proxy with the built-in provider
 * (replicas too).
 */
public final class BuiltinSignInFixture implements AutoCloseable {
    public static final String ALICE = "alice@example.com";
    public static final String ALICE_PASSWORD = "correct horse battery staple";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([a-z_]+)\" value=\"([^\"]*)\"/>");

    final Path usersFile;
    final TestUpstream upstream;
    final int port;
    /** The hosts' top-level name: {@code test}, or {@code localhost}, whose names a browser treats as secure (WebAuthn). */
    final String domain;
    private final RunningProxy proxy;

    private BuiltinSignInFixture(Path dir, List<BuiltinUser> users, String domain) throws Exception {
        this.domain = domain;
        usersFile = dir.resolve("users.yaml");
        writeUsers(users);
        upstream = new TestUpstream("app");
        port = TestIdentityProvider.freePort();
        proxy = RunningProxy.start("""
                address: 127.0.0.1:%1$d
                authenticate_service_url: http://authenticate.%4$s:%1$d
                idp_provider: builtin
                builtin_users_file: %2$s
                cookie_secure: false
                routes:
                  - from: http://app.%4$s:%1$d
                    to: %3$s
                    policy:
                      - allow:
                          or:
                            - email:
                                is: alice@example.com
                  - from: http://any.%4$s:%1$d
                    to: %3$s
                    allow_any_authenticated_user: true
                  - from: http://public.%4$s:%1$d
                    to: %3$s
                    allow_public_unauthenticated_access: true
                """.formatted(port, usersFile, upstream.url(), domain));
    }

    static BuiltinSignInFixture start(Path dir, List<BuiltinUser> users) throws Exception {
        return new BuiltinSignInFixture(dir, users, "test");
    }

    /**
     * As {@link #start(Path, List)}, on {@code *.localhost}: a browser treats those names as secure over plain HTTP, so
     * WebAuthn (passkeys) works there without TLS.
     */
    static BuiltinSignInFixture startOnLocalhost(Path dir, List<BuiltinUser> users) throws Exception {
        return new BuiltinSignInFixture(dir, users, "localhost");
    }

    /** A user whose password is hashed here (Argon2id, as {@code portcullis users add} does). */
    public static BuiltinUser user(String email, String name, List<String> groups, String password, Optional<String> totp) {
        return new BuiltinUser(email, name, groups, Optional.of(PasswordHasher.hash(password.toCharArray())), totp);
    }

    public static BuiltinUser alice() {
        return user(ALICE, "Alice", List.of("family"), ALICE_PASSWORD, Optional.empty());
    }

    void writeUsers(List<BuiltinUser> users) throws IOException {
        UsersFile file = UsersFile.empty();
        for (BuiltinUser user : users) {
            file = file.with(user);
        }
        file.write(usersFile);
    }

    /** {@code http://<host>.<domain>:<port><path>}. */
    String url(String host, String path) {
        return "http://" + host + "." + domain + ":" + port + path;
    }

    SignInClient client() {
        return new SignInClient(port, "." + domain);
    }

    /** Opens {@code url} and follows the redirects to the built-in sign-in page, which it returns. */
    public static Answer signInPage(SignInClient client, String url, String... headers) throws Exception {
        List<Answer> hops = client.follow(url, headers);
        Answer page = hops.get(hops.size() - 1);
        assertThat(page.status()).as("the sign-in page at the end of %s", hops.stream().map(Answer::url).toList())
                .isEqualTo(200);
        assertThat(URI.create(page.url()).getPath()).isEqualTo("/.pomerium/builtin/sign_in");
        return page;
    }

    /** The hidden fields of the form on {@code page} ({@code state}, {@code nonce}, {@code ticket}). */
    public static Map<String, String> hiddenFields(String page) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(page);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("&amp;", "&"));
        }
        return fields;
    }

    /** Posts email and password with the hidden fields of {@code page}. */
    Answer postPassword(SignInClient client, Answer page, String email, String password) throws Exception {
        return postPassword(client, url("authenticate", ""), page, email, password);
    }

    /**
     * Posts email and password with the hidden fields of {@code page} to the sign-in host {@code authenticate}
     * ({@code http://authenticate.test:<port>}), with these request {@code headers}.
     */
    public static Answer postPassword(SignInClient client, String authenticate, Answer page, String email,
            String password, String... headers) throws Exception {
        Map<String, String> form = hiddenFields(page.body());
        form.put("email", email);
        form.put("password", password);
        return client.post(authenticate + "/.pomerium/builtin/sign_in", encode(form), headers);
    }

    /** Posts a TOTP code with the hidden fields (ticket, state, nonce) of the code page. */
    Answer postCode(SignInClient client, Answer codePage, String code) throws Exception {
        return postCode(client, url("authenticate", ""), codePage, code);
    }

    /** Posts a TOTP code with the hidden fields of the code page to the sign-in host {@code authenticate}. */
    public static Answer postCode(SignInClient client, String authenticate, Answer codePage, String code,
            String... headers) throws Exception {
        Map<String, String> form = hiddenFields(codePage.body());
        form.put("code", code);
        return client.post(authenticate + "/.pomerium/builtin/totp", encode(form), headers);
    }

    /** The whole sign-in from opening {@code url} to the page it leads to, which it returns. */
    Answer signIn(SignInClient client, String url, String email, String password) throws Exception {
        Answer page = signInPage(client, url);
        Answer posted = postPassword(client, page, email, password);
        assertThat(posted.status()).as("the answer to the password: %s", posted.body()).isEqualTo(302);
        return client.open(URI.create(posted.url()).resolve(posted.location()).toString());
    }

    public static String encode(Map<String, String> form) {
        StringJoiner body = new StringJoiner("&");
        form.forEach((name, value) -> body.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** The RFC 6238 code (HMAC-SHA-1, 30 s, 6 digits) of a base32 {@code secret} at {@code at}. */
    public static String totp(String secret, Instant at) throws GeneralSecurityException {
        byte[] key = Base32.decode(secret.replace(" ", "").toUpperCase());
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(at.getEpochSecond() / 30).array());
        int offset = hash[hash.length - 1] & 0x0f;
        int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16)
                | ((hash[offset + 2] & 0xff) << 8) | (hash[offset + 3] & 0xff);
        return String.format("%06d", binary % 1_000_000);
    }

    /** The claims of a JWT, not verified (the sign-in flow tests verify signatures). */
    public static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Override
    public void close() {
        proxy.close();
        upstream.close();
    }
}
