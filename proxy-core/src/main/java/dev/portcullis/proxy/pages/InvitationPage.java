package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * The page an invitation link opens ({@link BuiltinSignInPage#INVITATION_PATH}{@code ?token=…}): the invited person
 * sets up how they sign in, with a passkey or a password of their own, so no password passes through whoever invited
 * them. Then the page that says they are set up; or, for a link used already, expired or unknown, a page that says so
 * ({@code 410 Gone}: the link will not work again, whichever it was).
 *
 * <p>The link's token is a credential of its own: these pages answer with {@code Referrer-Policy: no-referrer} (no
 * link on them may carry it elsewhere) and {@code Cache-Control: no-store}, and the forms post it back in a hidden
 * field.
 */
public final class InvitationPage {
    /** Where the password form posts to. */
    public static final String PASSWORD_PATH = BuiltinSignInPage.INVITATION_PATH;
    /** Where the passkey form asks for its options, and posts the browser's answer to. */
    public static final String PASSKEY_OPTIONS_PATH = BuiltinSignInPage.INVITATION_PATH + "/passkey_options";
    public static final String PASSKEY_PATH = BuiltinSignInPage.INVITATION_PATH + "/passkey";
    /** The shortest password the page accepts. */
    public static final int MIN_PASSWORD_CHARS = 8;
    public static final int MAX_PASSWORD_CHARS = 1024;

    private InvitationPage() {}

    /**
     * The invitation as the page shows it.
     *
     * @param email     who is invited
     * @param name      their display name, or empty
     * @param expiresAt when the link stops working
     */
    public record Invited(String email, String name, Instant expiresAt) {
        public Invited {
            requireNonNull(email, "email");
            requireNonNull(name, "name");
            requireNonNull(expiresAt, "expiresAt");
        }
    }

    /**
     * The choice: register a passkey, or choose a password.
     *
     * @param message what went wrong with the last try, or empty
     */
    public static FullHttpResponse setUp(ByteBufAllocator alloc, String requestId, Invited invited, String token,
            Optional<String> message, Instant now) {
        requireNonNull(invited, "invited");
        requireNonNull(token, "token");
        requireNonNull(message, "message");
        String tokenField = "<input type=\"hidden\" name=\"token\" value=\"" + PageLayout.escape(token) + "\"";
        StringBuilder main = new StringBuilder();
        main.append("<h1>Welcome").append(invited.name().isEmpty() ? "" : ", " + PageLayout.escape(invited.name()))
                .append("</h1><p>You are invited to sign in as <strong>").append(PageLayout.escape(invited.email()))
                .append("</strong>. Choose how: a passkey (your fingerprint, face or screen lock) or a password.")
                .append(" This link works once, and expires ").append(RelativeTime.describe(invited.expiresAt(), now))
                .append(".</p>");
        message.ifPresent(m -> main.append("<p id=\"message\" class=\"message\" role=\"alert\">").append(PageLayout.escape(m))
                .append("</p>"));
        main.append("<h2>With a passkey</h2>")
                .append("<form class=\"passkey-register fields\" method=\"post\" action=\"").append(PASSKEY_PATH)
                .append("\" data-options-url=\"").append(PASSKEY_OPTIONS_PATH).append("\" data-autostart=\"false\">")
                .append(tokenField).append(" data-options-field=\"token\"/>")
                .append("<label for=\"passkey-name\">Name for the passkey")
                .append("<input id=\"passkey-name\" name=\"name\" maxlength=\"").append(PasskeysSection.MAX_NAME_CHARS)
                .append("\" placeholder=\"e.g. Phone\" autocomplete=\"off\"/></label>")
                .append("<input type=\"hidden\" name=\"ceremony\" value=\"\"/>")
                .append("<input type=\"hidden\" name=\"credential\" value=\"\"/>")
                .append("<button type=\"button\" class=\"passkey-start\">Register a passkey</button>")
                .append("<p class=\"passkey-message message\" role=\"alert\" hidden=\"hidden\"></p></form>")
                .append("<h2>Or with a password</h2>")
                .append("<form class=\"fields\" method=\"post\" action=\"").append(PASSWORD_PATH).append("\">")
                .append(tokenField).append("/>")
                // the email as a username field, so a password manager saves the new password under it
                .append("<input type=\"hidden\" name=\"username\" autocomplete=\"username\" value=\"")
                .append(PageLayout.escape(invited.email())).append("\"/>")
                .append("<label for=\"password\">New password")
                .append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\"")
                .append(" required=\"required\" minlength=\"").append(MIN_PASSWORD_CHARS).append("\" maxlength=\"")
                .append(MAX_PASSWORD_CHARS).append("\"/></label>")
                .append("<label for=\"password-again\">The same password again")
                .append("<input id=\"password-again\" name=\"password_again\" type=\"password\" autocomplete=\"new-password\"")
                .append(" required=\"required\" minlength=\"").append(MIN_PASSWORD_CHARS).append("\" maxlength=\"")
                .append(MAX_PASSWORD_CHARS).append("\"/></label>")
                .append("<button type=\"submit\">Set the password</button></form>")
                .append(PageLayout.requestIdLine(requestId))
                .append(PasskeyScript.ELEMENT);
        return withoutReferrer(PageResponse.html(alloc, HttpResponseStatus.OK, PageLayout.document("Your invitation",
                main.toString()), requestId, PasskeyScript.CONTENT_SECURITY_POLICY));
    }

    /**
     * The invitation is accepted: {@code email} can sign in now.
     *
     * @param withPasskey whether they registered a passkey (else they chose a password)
     */
    public static FullHttpResponse accepted(ByteBufAllocator alloc, String requestId, String email, boolean withPasskey) {
        requireNonNull(email, "email");
        String main = "<h1>You are set up</h1><p><strong>" + PageLayout.escape(email) + "</strong> can sign in now, "
                + (withPasskey ? "with the passkey you just registered." : "with the password you just chose.")
                + " Open the application you were invited to; it asks you to sign in.</p>"
                + "<p class=\"muted\">The invitation link is used up and will not work again.</p>"
                + PageLayout.requestIdLine(requestId);
        return withoutReferrer(PageResponse.html(alloc, HttpResponseStatus.OK, PageLayout.document("You are set up", main),
                requestId));
    }

    /** The link was used already, has expired, or was never issued. */
    public static FullHttpResponse unusable(ByteBufAllocator alloc, String requestId) {
        String main = "<h1>This invitation cannot be used</h1><p>The link was used already, has expired, or was"
                + " withdrawn. Ask whoever invited you for a new one. If you set up your sign-in with it already,"
                + " just open the application and sign in.</p>" + PageLayout.requestIdLine(requestId);
        return withoutReferrer(PageResponse.html(alloc, HttpResponseStatus.GONE,
                PageLayout.document("Invitation cannot be used", main), requestId));
    }

    private static FullHttpResponse withoutReferrer(FullHttpResponse response) {
        response.headers().set("referrer-policy", "no-referrer");
        return response;
    }
}
