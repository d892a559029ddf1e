import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Prints a valid route session cookie value ({@code _pomerium}) for a user, sealed with a cookie
 * secret, so that a benchmark can send signed-in requests without an identity provider.
 *
 * <pre>java -cp proxy-core/target/portcullis.jar bench/SealSession.java BASE64-COOKIE-SECRET EMAIL</pre>
 *
 * <p>The session has a random id, the email as subject and email, no groups or claims, a 14-hour
 * lifetime (Pomerium's default {@code cookie_expire}) and no ID or refresh token, so checking it
 * never makes the proxy talk to a provider. Exits 2 on bad arguments.
 */
public final class SealSession {
    private static final Duration LIFETIME = Duration.ofHours(14);

    public static void main(String[] args) {
        if (args.length != 2 || args[1].isBlank()) {
            System.err.println("usage: java -cp portcullis.jar bench/SealSession.java BASE64-COOKIE-SECRET EMAIL");
            System.exit(2);
        }
        byte[] secret;
        try {
            secret = Base64.getDecoder().decode(args[0].trim());
        } catch (IllegalArgumentException e) {
            secret = new byte[0];
        }
        if (secret.length != 32) {
            System.err.println("cookie secret: " + secret.length + " bytes after base64 (expected: 32)");
            System.exit(2);
        }
        String email = args[1];
        Instant now = Instant.now();
        Session session = new Session(Session.newSessionId(new SecureRandom()), email, email, null, List.of(),
                Map.of(), now, now.plus(LIFETIME), Optional.empty(), Optional.empty());
        System.out.println(new SessionSealer(secret).seal(session, Purpose.ROUTE_SESSION));
    }
}
