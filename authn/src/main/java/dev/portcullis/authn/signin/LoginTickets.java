package dev.portcullis.authn.signin;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Programmatic login: the route host answers {@code /.pomerium/api/v1/login} with a sign-in URL
 * carrying a ticket sealed with {@code SHARED_SECRET}, naming the route URL and the client's
 * redirect URL that were checked there. The authenticate host accepts a programmatic redirect only
 * from such a ticket, so nobody can make up a sign-in link that sends a session elsewhere.
 */
public final class LoginTickets {
    /** How long the sign-in URL a script prints stays usable. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final SealedJson sealed;

    /** @param sharedSecret the 32-byte {@code SHARED_SECRET} */
    public LoginTickets(byte[] sharedSecret) {
        this.sealed = new SealedJson(sharedSecret, "programmatic login");
    }

    /** The ticket for signing in to {@code returnUrl} and handing the session to {@code clientRedirect}. */
    public String issue(URI returnUrl, URI clientRedirect, Instant now) {
        Map<String, Object> json = new HashMap<>();
        json.put("r", returnUrl.toString());
        json.put("pr", clientRedirect.toString());
        return sealed.seal(json, now.plus(LIFETIME));
    }

    /** The route URL and client redirect of an authentic, current ticket. */
    public Optional<Ticket> open(String ticket, Instant now) {
        return sealed.open(ticket, now).flatMap(json -> {
            Optional<String> returnUrl = SealedJson.string(json, "r");
            Optional<String> redirect = SealedJson.string(json, "pr");
            if (returnUrl.isEmpty() || redirect.isEmpty()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Ticket(URI.create(returnUrl.get()), URI.create(redirect.get())));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        });
    }

    /** What a ticket names. */
    public record Ticket(URI returnUrl, URI clientRedirect) {}
}
