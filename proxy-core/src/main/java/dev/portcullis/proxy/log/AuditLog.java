package dev.portcullis.proxy.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit events, each one line on the {@code portcullis.audit} logger with its own
 * {@code event} field, so that operators can route them apart from the access log:
 * {@code sign_in}, {@code sign_in_failed}, {@code sign_out}, {@code session_refresh_failed}, {@code access_denied},
 * {@code backchannel_logout}, {@code config_loaded}, {@code config_rejected}, {@code session_store_lost},
 * {@code session_store_found}, {@code passkey_added}, {@code passkey_removed}, {@code passkey_counter_regressed} and
 * {@code invitation_accepted}.
 *
 * <p>They carry who and what, never how: no cookie value, token, secret or password is a
 * parameter of any method here, so none can reach the log. A provider's message is cut to
 * {@value #MAX_TEXT} characters.
 */
public final class AuditLog {
    /** The logger every audit event is written to. */
    public static final String LOGGER = "portcullis.audit";
    static final int MAX_TEXT = 200;
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private AuditLog() {}

    /**
     * {@code sign_in}: the identity provider vouched for a user, who now goes back to {@code host}.
     *
     * @param email    may be null when the provider gave none
     * @param provider the provider's name ({@code oidc}, {@code google}, {@code builtin}, …)
     */
    public static void signIn(String userId, String email, String provider, String host) {
        AuditFields fields = AuditFields.event("sign_in");
        user(fields, userId, email);
        fields.text("provider", provider);
        fields.text("host", host);
        log.info(fields, "signed in: user {} ({}) with {}, going to {}", userId, email, provider, host);
    }

    /**
     * {@code sign_in_failed}: a sign-in on the built-in provider's page was refused, the line a
     * fail2ban or CrowdSec filter bans on ({@code docs/logging.md}).
     *
     * @param email  the email typed, empty when the form did not carry one (a wrong code)
     * @param client the client's address as the proxy believes it
     * @param reason {@code wrong_credentials}, {@code wrong_code}, {@code throttled}, {@code passkey_refused} or
     *               {@code passkey_counter_regressed}
     */
    public static void signInFailed(String email, String client, String reason) {
        AuditFields fields = AuditFields.event("sign_in_failed");
        String tried = cut(email);
        if (!tried.isEmpty()) {
            fields.text("email", tried);
        }
        fields.text("client", client);
        fields.text("reason", reason);
        log.info(fields, "sign-in failed ({}) for {} from {}", reason,
                tried.isEmpty() ? "an unknown user" : tried, client);
    }

    /** {@code passkey_added}: a built-in user registered a passkey (its credential id, the public part). */
    public static void passkeyAdded(String email, String credentialId, String name) {
        AuditFields fields = AuditFields.event("passkey_added");
        fields.text("email", email);
        fields.text("credential_id", credentialId);
        fields.text("name", cut(name));
        log.info(fields, "passkey added: {} for {}", credentialId, email);
    }

    /** {@code passkey_removed}: a built-in user removed one of their passkeys. */
    public static void passkeyRemoved(String email, String credentialId) {
        AuditFields fields = AuditFields.event("passkey_removed");
        fields.text("email", email);
        fields.text("credential_id", credentialId);
        log.info(fields, "passkey removed: {} of {}", credentialId, email);
    }

    /**
     * {@code passkey_counter_regressed}: a passkey signed with a counter no higher than the last one seen, a sign that
     * it was copied (WebAuthn §6.1.1); the sign-in was refused. Logged at WARN: someone should look.
     */
    public static void passkeyCounterRegressed(String email, String credentialId, long stored, long presented,
            String client) {
        AuditFields fields = AuditFields.event("passkey_counter_regressed");
        fields.text("email", email);
        fields.text("credential_id", credentialId);
        fields.number("stored_sign_count", stored);
        fields.number("presented_sign_count", presented);
        fields.text("client", client);
        log.warn(fields, "passkey {} of {} presented sign count {} after {}: refused, it may be "
                + "a copy (from {})", credentialId, email, presented, stored, client);
    }

    /** {@code invitation_accepted}: an invited person set up their sign-in (with a password or a passkey). */
    public static void invitationAccepted(String email, String with, String client) {
        AuditFields fields = AuditFields.event("invitation_accepted");
        fields.text("email", email);
        fields.text("with", with);
        fields.text("client", client);
        log.info(fields, "invitation accepted: {} set up a {} (from {})", email, with, client);
    }

    /** {@code sign_out}: the user signed out here; the session is revoked. */
    public static void signOut(String userId, String email) {
        AuditFields fields = AuditFields.event("sign_out");
        user(fields, userId, email);
        log.info(fields, "signed out: user {} ({})", userId, email);
    }

    /**
     * {@code session_refresh_failed}: renewing a session's tokens with the provider failed.
     *
     * @param ended true when the provider refused, so the session ended; false when it could not be
     *              reached, so the session stays until it expires and renewal is retried
     */
    public static void sessionRefreshFailed(String userId, String reason, boolean ended) {
        AuditFields fields = AuditFields.event("session_refresh_failed");
        fields.text("user_id", userId);
        String cutReason = cut(reason);
        fields.text("reason", cutReason);
        fields.flag("session_ended", ended);
        if (ended) {
            log.info(fields, "session of user {} ended: the identity provider refused to renew it ({})",
                    userId, cutReason);
        } else {
            log.warn(fields, "renewing the session of user {} failed; it stays valid and renewal is"
                    + " retried later: {}", userId, cutReason);
        }
    }

    /**
     * {@code access_denied}: a route refused a request (403, 495, …).
     *
     * @param userId      empty for someone not signed in ({@code "anonymous": true})
     * @param reasons     the policy's reason words; empty when the refusal did not come from the policy
     * @param explanation the policy's sentence; empty when none
     * @param status      the status answered
     */
    public static void accessDenied(String requestId, String route, String host, Optional<String> userId,
            Optional<String> email, List<String> reasons, String explanation, int status) {
        AuditFields fields = AuditFields.event("access_denied");
        fields.text("request_id", requestId);
        fields.text("route", route);
        fields.text("host", host);
        fields.flag("anonymous", userId.isEmpty());
        userId.ifPresent(id -> user(fields, id, email.orElse(null)));
        fields.texts("reasons", reasons);
        if (!explanation.isEmpty()) {
            fields.text("explanation", explanation);
        }
        fields.number("status", status);
        log.info(fields, "access denied: {} on route {} ({})",
                userId.map(id -> "user " + id).orElse("anonymous"), route, String.join(", ", reasons));
    }

    /** {@code backchannel_logout}: the provider ended a user's ({@code sub}) or a provider session's ({@code sid}) sessions. */
    public static void backchannelLogout(Optional<String> subject, Optional<String> providerSessionId) {
        AuditFields fields = AuditFields.event("backchannel_logout");
        subject.ifPresent(sub -> fields.text("sub", sub));
        providerSessionId.ifPresent(sid -> fields.text("sid", sid));
        log.info(fields, "back-channel logout: sessions of {} revoked",
                subject.map(s -> "user " + s).orElseGet(() -> "provider session " + providerSessionId.orElse("?")));
    }

    /**
     * {@code config_loaded}: the configuration was read and is served.
     *
     * @param file the file read, when there is one; the source is then {@code file}, else {@code environment}
     */
    public static void configLoaded(int routes, Optional<Path> file) {
        AuditFields fields = AuditFields.event("config_loaded");
        fields.number("routes", routes);
        fields.text("source", file.isPresent() ? "file" : "environment");
        file.ifPresent(f -> fields.text("file", f.toString()));
        log.info(fields, "configuration loaded: {} routes from {}", routes,
                file.map(f -> f + " and the environment").orElse("the environment"));
    }

    /**
     * {@code config_rejected}: the configuration has problems and is not served. Each problem names
     * a path and what is wrong; the configuration's messages never repeat a secret.
     */
    public static void configRejected(List<String> problems, Optional<Path> file) {
        AuditFields fields = AuditFields.event("config_rejected");
        fields.text("source", file.isPresent() ? "file" : "environment");
        file.ifPresent(f -> fields.text("file", f.toString()));
        fields.texts("problems", problems);
        log.error(fields, "configuration rejected: {} {}", problems.size(),
                problems.size() == 1 ? "problem" : "problems");
    }

    /**
     * {@code session_store_lost}: the store replicas share sign-in state through could not answer; until it is
     * found again, what needs it (signing in and out, hand-offs) answers 503, and signed-in users keep working.
     *
     * @param store  what and where the store is, without credentials (e.g. {@code redis at redis:6379})
     * @param reason why the last command failed, without keys, values or passwords
     */
    public static void sessionStoreLost(String store, String reason) {
        AuditFields fields = AuditFields.event("session_store_lost");
        fields.text("store", store);
        fields.text("reason", cut(reason));
        log.warn(fields, "session store lost: {} could not answer ({}); signing in and out"
                + " answers 503 until it is back, signed-in users keep working", store, cut(reason));
    }

    /** {@code session_store_found}: the shared store answers again, after {@code down}. */
    public static void sessionStoreFound(String store, Duration down) {
        AuditFields fields = AuditFields.event("session_store_found");
        fields.text("store", store);
        fields.number("down_ms", down.toMillis());
        log.info(fields, "session store found: {} answers again after {} ms", store,
                down.toMillis());
    }

    private static void user(AuditFields fields, String userId, String email) {
        fields.text("user_id", userId);
        if (email != null) {
            fields.text("email", email);
        }
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
