package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Duration;
import java.util.Optional;

/**
 * The built-in provider's sign-in pages on the authenticate host: the email and password form, and
 * the second step that asks for a TOTP code. Server-rendered, nothing loaded from anywhere, one
 * column that fits a phone, every field labelled, the first empty field focused, and the
 * {@code autocomplete} tokens password managers and phones look for ({@code username},
 * {@code current-password}, {@code one-time-code}).
 *
 * <p>Each form carries the sign-in attempt's {@code state} (and {@code nonce}) back; the endpoint
 * accepts the post only when that {@code state} is the one sealed in the browser's
 * {@code _pomerium_csrf} cookie, so it doubles as the CSRF token. Answers: 200, or 429 with
 * {@code Retry-After} when sign-in is throttled; {@code Cache-Control: no-store} always.
 */
public final class BuiltinSignInPage {
    /** Where the password form posts to. */
    public static final String SIGN_IN_PATH = "/.pomerium/builtin/sign_in";
    /** Where the code form posts to. */
    public static final String TOTP_PATH = "/.pomerium/builtin/totp";
    /** Where the passkey sign-in form posts the browser's assertion to. */
    public static final String PASSKEY_PATH = "/.pomerium/builtin/passkey";
    /** A passkey that did not sign anyone in, whatever was wrong with it. */
    public static final String PASSKEY_REFUSED = "That passkey did not work here. Use another, or your password.";
    /** Where an invitation link leads, with {@code ?token=}: the invited person chooses a password or a passkey. */
    public static final String INVITATION_PATH = "/.pomerium/builtin/invitation";
    /** The one answer to wrong credentials, whatever was wrong: no way to learn which emails exist. */
    public static final String REFUSED = "The email address or password is not right.";
    /** A wrong, expired or reused code: the ticket is used up, so the person starts again. */
    public static final String CODE_REFUSED = "The code is not right, or it was used already. Sign in again.";

    private BuiltinSignInPage() {}

    /**
     * The sign-in attempt the forms belong to.
     *
     * @param state       the attempt's {@code state}, posted back and compared with the sealed one
     * @param nonce       the attempt's {@code nonce}
     * @param destination the host the person is signing in to reach, shown as "to continue to …"
     */
    public record Attempt(String state, String nonce, Optional<String> destination) {
        public Attempt {
            requireNonNull(state, "state");
            requireNonNull(nonce, "nonce");
            requireNonNull(destination, "destination");
        }
    }

    /**
     * What the page needs to offer signing in with a passkey: the request options for the browser and the sealed
     * ceremony that comes back with its answer.
     *
     * @param optionsJson the {@code PublicKeyCredentialRequestOptionsJSON}
     * @param ceremony    the sealed ceremony state, opaque to the browser
     */
    public record PasskeyOffer(String optionsJson, String ceremony) {
        public PasskeyOffer {
            requireNonNull(optionsJson, "optionsJson");
            requireNonNull(ceremony, "ceremony");
        }
    }

    /** The email and password form without passkeys. */
    public static FullHttpResponse password(ByteBufAllocator alloc, String requestId, Attempt attempt, String email,
            Optional<String> message, Optional<Duration> retryAfter) {
        return password(alloc, requestId, attempt, email, message, retryAfter, Optional.empty());
    }

    /**
     * The email and password form, and with {@code passkey} a "Sign in with a passkey" button beside it and the
     * passkeys offered in the email field (conditional mediation, {@code autocomplete="username webauthn"}).
     *
     * @param email      the email to fill in again after a refusal (never the password), or empty
     * @param message    what went wrong, shown above the form, or empty
     * @param retryAfter when present, the answer is 429 with {@code Retry-After} in whole seconds
     */
    public static FullHttpResponse password(ByteBufAllocator alloc, String requestId, Attempt attempt, String email,
            Optional<String> message, Optional<Duration> retryAfter, Optional<PasskeyOffer> passkey) {
        requireNonNull(requestId, "requestId");
        requireNonNull(attempt, "attempt");
        requireNonNull(email, "email");
        requireNonNull(message, "message");
        requireNonNull(retryAfter, "retryAfter");
        requireNonNull(passkey, "passkey");
        StringBuilder main = new StringBuilder();
        heading(main, attempt);
        message.ifPresent(m -> appendMessage(main, m));
        String described = message.isPresent() ? " aria-describedby=\"message\"" : "";
        boolean emailKnown = !email.isEmpty();
        main.append("<form class=\"fields\" method=\"post\" action=\"").append(SIGN_IN_PATH).append("\">")
                .append("<label for=\"email\">Email address")
                .append("<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"")
                .append(passkey.isPresent() ? "username webauthn" : "username").append('"')
                .append(" autocapitalize=\"none\" spellcheck=\"false\" required=\"required\" maxlength=\"320\"")
                .append(" value=\"").append(PageLayout.escape(email)).append('"')
                .append(emailKnown ? "" : " autofocus=\"autofocus\"").append(described).append("/></label>")
                .append("<label for=\"password\">Password")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\""
                        + " required=\"required\" maxlength=\"1024\"")
                .append(emailKnown ? " autofocus=\"autofocus\"" : "").append(described).append("/></label>");
        hidden(main, attempt);
        main.append("<button type=\"submit\">Sign in</button></form>");
        passkey.ifPresent(offer -> passkeyForm(main, attempt, offer));
        main.append(PageLayout.requestIdLine(requestId));
        passkey.ifPresent(offer -> main.append(PasskeyScript.ELEMENT));
        HttpResponseStatus status = retryAfter.isPresent() ? HttpResponseStatus.TOO_MANY_REQUESTS : HttpResponseStatus.OK;
        FullHttpResponse response = PageResponse.html(alloc, status, PageLayout.document("Sign in", main.toString()),
                requestId, passkey.isPresent() ? PasskeyScript.CONTENT_SECURITY_POLICY : PageResponse.CONTENT_SECURITY_POLICY);
        retryAfter.ifPresent(wait -> response.headers().set(HttpHeaderNames.RETRY_AFTER, seconds(wait)));
        return response;
    }

    /** The second step: a 6-digit code from the person's authenticator app, posted with {@code ticket}. */
    public static FullHttpResponse code(ByteBufAllocator alloc, String requestId, Attempt attempt, String ticket) {
        requireNonNull(requestId, "requestId");
        requireNonNull(attempt, "attempt");
        requireNonNull(ticket, "ticket");
        StringBuilder main = new StringBuilder();
        heading(main, attempt);
        main.append("<p>Enter the 6-digit code your authenticator app shows for this account.</p>")
                .append("<form class=\"fields\" method=\"post\" action=\"").append(TOTP_PATH).append("\">")
                .append("<label for=\"code\">Code")
                .append("<input id=\"code\" class=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\""
                        + " autocomplete=\"one-time-code\" pattern=\"[0-9]{6}\" minlength=\"6\" maxlength=\"6\""
                        + " required=\"required\" autofocus=\"autofocus\"/></label>")
                .append("<input type=\"hidden\" name=\"ticket\" value=\"").append(PageLayout.escape(ticket)).append("\"/>");
        hidden(main, attempt);
        main.append("<button type=\"submit\">Verify</button></form>")
                .append(PageLayout.requestIdLine(requestId));
        return PageResponse.html(alloc, HttpResponseStatus.OK, PageLayout.document("Sign in — code", main.toString()),
                requestId);
    }

    /** "Too many attempts" in words: how long to wait, rounded up to a whole second or minute. */
    public static String throttledMessage(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        String howLong = seconds < 90 ? seconds + (seconds == 1 ? " second" : " seconds")
                : ((seconds + 59) / 60) + " minutes";
        return "Too many attempts that did not work. Wait " + howLong + ", then try again.";
    }

    /**
     * The passkey sign-in: a button the script shows, and the form it posts the assertion with. The sealed ceremony is
     * bound to the attempt's {@code state}, so it is this form's CSRF token: the form repeats neither state nor nonce.
     */
    private static void passkeyForm(StringBuilder main, Attempt attempt, PasskeyOffer offer) {
        main.append("<form class=\"passkey-sign-in alternative\" method=\"post\" action=\"").append(PASSKEY_PATH)
                .append("\" data-options=\"").append(PageLayout.escape(offer.optionsJson())).append("\">")
                .append("<p class=\"muted\">or</p>")
                .append("<button type=\"button\" class=\"passkey-start secondary\" hidden=\"hidden\">Sign in with a passkey</button>")
                .append("<p class=\"passkey-message message\" role=\"alert\" hidden=\"hidden\"></p>")
                .append("<input type=\"hidden\" name=\"ceremony\" value=\"").append(PageLayout.escape(offer.ceremony()))
                .append("\"/><input type=\"hidden\" name=\"credential\" value=\"\"/></form>");
    }

    private static void heading(StringBuilder main, Attempt attempt) {
        main.append("<h1>Sign in</h1>");
        attempt.destination().ifPresent(host -> main.append("<p class=\"muted\">to continue to <strong>")
                .append(PageLayout.escape(host)).append("</strong></p>"));
    }

    private static void appendMessage(StringBuilder main, String message) {
        main.append("<p id=\"message\" class=\"message\" role=\"alert\">").append(PageLayout.escape(message))
                .append("</p>");
    }

    private static void hidden(StringBuilder main, Attempt attempt) {
        main.append("<input type=\"hidden\" name=\"state\" value=\"").append(PageLayout.escape(attempt.state()))
                .append("\"/><input type=\"hidden\" name=\"nonce\" value=\"").append(PageLayout.escape(attempt.nonce()))
                .append("\"/>");
    }

    private static String seconds(Duration wait) {
        return Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000));
    }
}
