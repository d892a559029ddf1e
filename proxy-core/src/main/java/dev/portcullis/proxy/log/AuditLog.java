package dev.portcullis.proxy.log;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.logstash.logback.marker.Markers;
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
        Map<String, Object> fields = event("sign_in");
        user(fields, userId, email);
        fields.put("provider", provider);
        fields.put("host", host);
        log.info(Markers.appendEntries(fields), "signed in: user {} ({}) with {}, going to {}", userId, email, provider, host);
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
        Map<String, Object> fields = event("sign_in_failed");
        String tried = cut(email);
        if (!tried.isEmpty()) {
            fields.put("email", tried);
        }
        fields.put("client", client);
        fields.put("reason", reason);
        log.info(Markers.appendEntries(fields), "sign-in failed ({}) for {} from {}", reason,
                tried.isEmpty() ? "an unknown user" : tried, client);
    }

    /** {@code passkey_added}: a built-in user registered a passkey (its credential id, the public part). */
    public static void passkeyAdded(String email, String credentialId, String name) {
        Map<String, Object> fields = event("passkey_added");
        fields.put("email", email);
        fields.put("credential_id", credentialId);
        fields.put("name", cut(name));
        log.info(Markers.appendEntries(fields), "passkey added: {} for {}", credentialId, email);
    }

    /** {@code passkey_removed}: a built-in user removed one of their passkeys. */
    public static void passkeyRemoved(String email, String credentialId) {
        Map<String, Object> fields = event("passkey_removed");
        fields.put("email", email);
        fields.put("credential_id", credentialId);
        log.info(Markers.appendEntries(fields), "passkey removed: {} of {}", credentialId, email);
    }

    /**
     * {@code passkey_counter_regressed}: a passkey signed with a counter no higher than the last one seen, a sign that
     * it was copied (WebAuthn §6.1.1); the sign-in was refused. Logged at WARN: someone should look.
     */
    public static void passkeyCounterRegressed(String email, String credentialId, long stored, long presented,
            String client) {
        Map<String, Object> fields = event("passkey_counter_regressed");
        fields.put("email", email);
        fields.put("credential_id", credentialId);
        fields.put("stored_sign_count", stored);
        fields.put("presented_sign_count", presented);
        fields.put("client", client);
        log.warn(Markers.appendEntries(fields), "passkey {} of {} presented sign count {} after {}: refused, it may be "
                + "a copy (from {})", credentialId, email, presented, stored, client);
    }

    /** {@code invitation_accepted}: an invited person set up their sign-in (with a password or a passkey). */
    public static void invitationAccepted(String email, String with, String client) {
        Map<String, Object> fields = event("invitation_accepted");
        fields.put("email", email);
        fields.put("with", with);
        fields.put("client", client);
        log.info(Markers.appendEntries(fields), "invitation accepted: {} set up a {} (from {})", email, with, client);
    }

    /** {@code sign_out}: the user signed out here; the session is revoked. */
    public static void signOut(String userId, String email) {
        Map<String, Object> fields = event("sign_out");
        user(fields, userId, email);
        log.info(Markers.appendEntries(fields), "signed out: user {} ({})", userId, email);
    }

    /**
     * {@code session_refresh_failed}: renewing a session's tokens with the provider failed.
     *
     * @param ended true when the provider refused, so the session ended; false when it could not be
     *              reached, so the session stays until it expires and renewal is retried
     */
    public static void sessionRefreshFailed(String userId, String reason, boolean ended) {
        Map<String, Object> fields = event("session_refresh_failed");
        fields.put("user_id", userId);
        fields.put("reason", cut(reason));
        fields.put("session_ended", ended);
        if (ended) {
            log.info(Markers.appendEntries(fields), "session of user {} ended: the identity provider refused to renew it ({})",
                    userId, fields.get("reason"));
        } else {
            log.warn(Markers.appendEntries(fields), "renewing the session of user {} failed; it stays valid and renewal is"
                    + " retried later: {}", userId, fields.get("reason"));
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
        Map<String, Object> fields = event("access_denied");
        fields.put("request_id", requestId);
        fields.put("route", route);
        fields.put("host", host);
        fields.put("anonymous", userId.isEmpty());
        userId.ifPresent(id -> user(fields, id, email.orElse(null)));
        fields.put("reasons", List.copyOf(reasons));
        if (!explanation.isEmpty()) {
            fields.put("explanation", explanation);
        }
        fields.put("status", status);
        log.info(Markers.appendEntries(fields), "access denied: {} on route {} ({})",
                userId.map(id -> "user " + id).orElse("anonymous"), route, String.join(", ", reasons));
    }

    /** {@code backchannel_logout}: the provider ended a user's ({@code sub}) or a provider session's ({@code sid}) sessions. */
    public static void backchannelLogout(Optional<String> subject, Optional<String> providerSessionId) {
        Map<String, Object> fields = event("backchannel_logout");
        subject.ifPresent(sub -> fields.put("sub", sub));
        providerSessionId.ifPresent(sid -> fields.put("sid", sid));
        log.info(Markers.appendEntries(fields), "back-channel logout: sessions of {} revoked",
                subject.map(s -> "user " + s).orElseGet(() -> "provider session " + providerSessionId.orElse("?")));
    }

    /**
     * {@code config_loaded}: the configuration was read and is served.
     *
     * @param file the file read, when there is one; the source is then {@code file}, else {@code environment}
     */
    public static void configLoaded(int routes, Optional<Path> file) {
        Map<String, Object> fields = event("config_loaded");
        fields.put("routes", routes);
        fields.put("source", file.isPresent() ? "file" : "environment");
        file.ifPresent(f -> fields.put("file", f.toString()));
        log.info(Markers.appendEntries(fields), "configuration loaded: {} routes from {}", routes,
                file.map(f -> f + " and the environment").orElse("the environment"));
    }

    /**
     * {@code config_rejected}: the configuration has problems and is not served. Each problem names
     * a path and what is wrong; the configuration's messages never repeat a secret.
     */
    public static void configRejected(List<String> problems, Optional<Path> file) {
        Map<String, Object> fields = event("config_rejected");
        fields.put("source", file.isPresent() ? "file" : "environment");
        file.ifPresent(f -> fields.put("file", f.toString()));
        fields.put("problems", List.copyOf(problems));
        log.error(Markers.appendEntries(fields), "configuration rejected: {} {}", problems.size(),
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
        Map<String, Object> fields = event("session_store_lost");
        fields.put("store", store);
        fields.put("reason", cut(reason));
        log.warn(Markers.appendEntries(fields), "session store lost: {} could not answer ({}); signing in and out"
                + " answers 503 until it is back, signed-in users keep working", store, cut(reason));
    }

    /** {@code session_store_found}: the shared store answers again, after {@code down}. */
    public static void sessionStoreFound(String store, Duration down) {
        Map<String, Object> fields = event("session_store_found");
        fields.put("store", store);
        fields.put("down_ms", down.toMillis());
        log.info(Markers.appendEntries(fields), "session store found: {} answers again after {} ms", store,
                down.toMillis());
    }

    private static Map<String, Object> event(String name) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", name);
        return fields;
    }

    private static void user(Map<String, Object> fields, String userId, String email) {
        fields.put("user_id", userId);
        if (email != null) {
            fields.put("email", email);
        }
    }

    private static String cut(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "…";
    }
}
