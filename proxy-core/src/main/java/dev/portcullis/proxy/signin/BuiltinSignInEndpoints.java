package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinIdentityProvider;
import dev.portcullis.authn.builtin.BuiltinSignIn;
import dev.portcullis.authn.builtin.BuiltinSignIn.Outcome;
import dev.portcullis.authn.passkey.PasskeyCeremonySeal;
import dev.portcullis.authn.passkey.PasskeySignIn;
import dev.portcullis.authn.session.CookieSettings;
import dev.portcullis.authn.store.StoreUnavailable;
import dev.portcullis.authn.session.SessionCookies;
import dev.portcullis.authn.signin.SignInAttempt;
import dev.portcullis.authn.signin.SignInAttempts;
import dev.portcullis.proxy.log.AuditLog;
import dev.portcullis.proxy.pages.BuiltinSignInPage;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.pages.SignInProblemPage;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in provider's pages on the authenticate host, where {@code idp_provider: builtin} sends
 * a sign-in instead of to an external provider:
 * <ul>
 * <li>{@code GET /.pomerium/builtin/sign_in?state&nonce&redirect_uri}: the email and password form
 *     (200). {@code redirect_uri} must be exactly the authenticate callback URL, and {@code state}
 *     the one sealed in the browser's {@code _pomerium_csrf} cookie, else the "sign-in expired"
 *     page (400);</li>
 * <li>{@code POST /.pomerium/builtin/sign_in} (email, password, state, nonce): accepted only when
 *     {@code state} and {@code nonce} equal the sealed ones, so a cross-site post (which cannot read
 *     them) is refused with that 400 page. The password is checked off the event loop; then a 302 to
 *     the callback with a single-use code, or the code form (200), or the form again with one
 *     generic message whatever was wrong (200: a re-displayed form, as 401 would need a
 *     {@code WWW-Authenticate} challenge, RFC 9110 §15.5.2), or 429 with {@code Retry-After} when
 *     failures for the account or the address are being throttled;</li>
 * <li>{@code POST /.pomerium/builtin/totp} (ticket, code, state, nonce): the same check of
 *     {@code state}; a right code sends on to the callback, a wrong or replayed one starts again at
 *     the password form with a message (the ticket works once);</li>
 * <li>{@code POST /.pomerium/builtin/passkey} (credential, ceremony): the browser's answer to the passkey request
 *     the password page offered, its challenge sealed for this browser's sign-in attempt (so the sealed ceremony is
 *     the form's CSRF token: one made for another attempt does not open). A passkey with
 *     user verification is two factors and sends on to the callback; without it, a user with TOTP gets the code
 *     form as after a right password. Anything wrong is the password form again with one message (200), 429 while
 *     throttled (the password throttle's rules, per address and per passkey); a signature counter that did not grow
 *     is refused and audited as {@code passkey_counter_regressed}.</li>
 * </ul>
 * The provider's answer then arrives at the callback like any provider's, and is redeemed there.
 * Passwords are never logged; the {@code char[]} handed to the check is wiped afterwards (the form
 * body itself is a string the dispatcher read, which cannot be wiped).
 */
final class BuiltinSignInEndpoints {
    static final String PREFIX = "/.pomerium/builtin/";
    private static final int MAX_EMAIL_CHARS = 320;
    private static final int MAX_PASSWORD_CHARS = 1024;
    private static final Logger log = LoggerFactory.getLogger(BuiltinSignInEndpoints.class);

    private final BuiltinIdentityProvider provider;
    private final BuiltinSignIn signIn;
    private final ProviderStack.Passkeys passkeys;
    private final PasskeyCeremonySeal seal;
    private final AuthenticateLinks links;
    private final CookieSettings cookies;
    private final SignInAttempts attempts;
    private final Clock clock;
    private final String callbackUrl;

    /**
     * @param provider issues the code the callback redeems
     * @param signIn   checks passwords and codes
     * @param passkeys checks passkeys
     * @param seal     seals the passkey request's challenge into the page
     * @param links    the authenticate service's addresses
     * @param cookies  the route session cookie's settings, from which the sign-in attempt cookie's derive
     * @param attempts opens the sign-in attempt cookie
     * @param clock    tells whether the attempt has expired
     */
    BuiltinSignInEndpoints(BuiltinIdentityProvider provider, BuiltinSignIn signIn, ProviderStack.Passkeys passkeys,
            PasskeyCeremonySeal seal, AuthenticateLinks links, CookieSettings cookies, SignInAttempts attempts, Clock clock) {
        this.provider = requireNonNull(provider, "provider");
        this.signIn = requireNonNull(signIn, "signIn");
        this.passkeys = requireNonNull(passkeys, "passkeys");
        this.seal = requireNonNull(seal, "seal");
        this.links = requireNonNull(links, "links");
        this.cookies = requireNonNull(cookies, "cookies");
        this.attempts = requireNonNull(attempts, "attempts");
        this.clock = requireNonNull(clock, "clock");
        this.callbackUrl = links.callbackUrl().toString();
    }

    /** The sign-in page's address, where the built-in provider's authorization URL points. */
    static URI signInPage(URI authenticateUrl) {
        return URI.create(authenticateUrl.getScheme() + "://" + authenticateUrl.getRawAuthority()
                + BuiltinSignInPage.SIGN_IN_PATH);
    }

    static boolean isOwnPath(String path) {
        return path.startsWith(PREFIX);
    }

    CompletionStage<LocalAnswer> handle(EndpointRequest request) {
        String path = request.path();
        boolean post = request.method().equals("POST");
        if (path.equals(BuiltinSignInPage.SIGN_IN_PATH) && post) {
            return password(request);
        }
        if (path.equals(BuiltinSignInPage.SIGN_IN_PATH) && (request.method().equals("GET")
                || request.method().equals("HEAD"))) {
            return done(page(request));
        }
        if (path.equals(BuiltinSignInPage.TOTP_PATH) && post) {
            return totp(request);
        }
        if (path.equals(BuiltinSignInPage.PASSKEY_PATH) && post) {
            return passkey(request);
        }
        return done(problem(request, ProxyFailure.NO_ROUTE, Optional.empty()));
    }

    private LocalAnswer page(EndpointRequest request) {
        if (!request.parameter("redirect_uri").filter(callbackUrl::equals).isPresent()) {
            return SignInServices.badRequest(request, "the query parameter redirect_uri is missing or is not this "
                    + "proxy's callback address");
        }
        Optional<SignInAttempt> attempt = attempt(request, request.parameter("state"), request.parameter("nonce"));
        return attempt.map(a -> passwordPage(request, a, "", Optional.empty(), Optional.empty()))
                .orElseGet(() -> expired(request));
    }

    private CompletionStage<LocalAnswer> password(EndpointRequest request) {
        Optional<SignInAttempt> attempt = attempt(request, request.formField("state"), request.formField("nonce"));
        if (attempt.isEmpty()) {
            log.info("built-in sign-in: a form without this browser's sign-in attempt refused (client {})",
                    request.clientAddress());
            return done(expired(request));
        }
        String email = request.formField("email").map(String::strip).orElse("");
        Optional<String> typed = request.formField("password");
        if (email.isEmpty() || email.length() > MAX_EMAIL_CHARS || typed.isEmpty() || typed.get().isEmpty()
                || typed.get().length() > MAX_PASSWORD_CHARS) {
            String kept = email.length() > MAX_EMAIL_CHARS ? "" : email;
            return done(passwordPage(request, attempt.get(), kept, Optional.of(BuiltinSignInPage.REFUSED), Optional.empty()));
        }
        char[] password = typed.get().toCharArray();
        CompletionStage<Outcome> outcome;
        try {
            outcome = signIn.password(email, password, request.clientAddress());
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        } finally {
            Arrays.fill(password, '\0'); // the check keeps its own copy
        }
        SignInAttempt started = attempt.get();
        return outcome.thenCompose(result -> answer(request, started, email, result))
                .exceptionally(failure -> {
                    if (StoreUnavailable.isCause(failure)) {
                        throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure); // a 503
                    }
                    log.warn("built-in sign-in: the password could not be checked: {}", failure.toString());
                    return problem(request, ProxyFailure.SIGN_IN_PROVIDER_UNAVAILABLE,
                            Optional.of(links.signInUrl(started.returnUrl())));
                });
    }

    private CompletionStage<LocalAnswer> totp(EndpointRequest request) {
        Optional<SignInAttempt> attempt = attempt(request, request.formField("state"), request.formField("nonce"));
        if (attempt.isEmpty()) {
            log.info("built-in sign-in: a code form without this browser's sign-in attempt refused (client {})",
                    request.clientAddress());
            return done(expired(request));
        }
        String ticket = request.formField("ticket").orElse("");
        String code = request.formField("code").map(String::strip).orElse("");
        CompletionStage<Outcome> outcome = ticket.isEmpty()
                ? CompletableFuture.completedFuture(new Outcome.Refused(BuiltinSignInPage.CODE_REFUSED))
                : signIn.totp(ticket, code, request.clientAddress());
        return outcome.thenCompose(result -> {
            if (result instanceof Outcome.Refused) {
                AuditLog.signInFailed("", request.clientAddress(), "wrong_code");
                return done(passwordPage(request, attempt.get(), "", Optional.of(BuiltinSignInPage.CODE_REFUSED), Optional.empty()));
            }
            return answer(request, attempt.get(), "", result);
        });
    }

    private CompletionStage<LocalAnswer> passkey(EndpointRequest request) {
        // the ceremony, sealed for this attempt's state, is the form's CSRF token: it opens only with this attempt
        Optional<SignInAttempt> attempt = SessionCookies.read(request.cookies(), AuthenticateEndpoints.csrfCookie(cookies))
                .flatMap(value -> attempts.open(value, clock.instant()));
        if (attempt.isEmpty()) {
            log.info("built-in sign-in: a passkey without this browser's sign-in attempt refused (client {})",
                    request.clientAddress());
            return done(expired(request));
        }
        SignInAttempt started = attempt.get();
        Optional<PasskeySignIn.Pending> pending = request.formField("ceremony")
                .flatMap(sealed -> seal.openSignIn(sealed, ceremonyContext(started), clock.instant()));
        Optional<String> credential = request.formField("credential").filter(c -> !c.isEmpty());
        if (pending.isEmpty() || credential.isEmpty()) {
            AuditLog.signInFailed("", request.clientAddress(), "passkey_refused");
            return done(passwordPage(request, started, "", Optional.of(BuiltinSignInPage.PASSKEY_REFUSED), Optional.empty()));
        }
        return passkeys.signIn().finish(pending.get(), credential.get(), request.clientAddress())
                .thenCompose(outcome -> passkeyAnswer(request, started, outcome))
                .exceptionally(failure -> {
                    if (StoreUnavailable.isCause(failure)) {
                        throw failure instanceof CompletionException wrapped ? wrapped : new CompletionException(failure); // a 503
                    }
                    log.warn("built-in sign-in: the passkey could not be checked: {}", failure.toString());
                    return problem(request, ProxyFailure.SIGN_IN_PROVIDER_UNAVAILABLE,
                            Optional.of(links.signInUrl(started.returnUrl())));
                });
    }

    private CompletionStage<LocalAnswer> passkeyAnswer(EndpointRequest request, SignInAttempt attempt,
            PasskeySignIn.Outcome outcome) {
        if (outcome instanceof PasskeySignIn.Outcome.SignedIn signedIn) {
            // with user verification the passkey is both factors; without, it stands where a right password would
            return signedIn.twoFactors()
                    ? answer(request, attempt, "", new Outcome.SignedIn(signedIn.user()))
                    : StoreUnavailable.asking(() -> signIn.afterFirstFactor(signedIn.user()))
                            .thenCompose(next -> answer(request, attempt, "", next));
        }
        if (outcome instanceof PasskeySignIn.Outcome.Throttled throttled) {
            AuditLog.signInFailed("", request.clientAddress(), "throttled");
            Duration wait = throttled.retryAfter();
            return done(passwordPage(request, attempt, "", Optional.of(BuiltinSignInPage.throttledMessage(wait)),
                    Optional.of(wait)));
        }
        if (outcome instanceof PasskeySignIn.Outcome.CounterRegressed regressed) {
            AuditLog.passkeyCounterRegressed(regressed.email(), regressed.credentialId(), regressed.storedSignCount(),
                    regressed.presentedSignCount(), request.clientAddress());
            AuditLog.signInFailed(regressed.email(), request.clientAddress(), "passkey_counter_regressed");
        } else {
            log.info("built-in sign-in: a passkey refused: {} (client {})",
                    ((PasskeySignIn.Outcome.Refused) outcome).reason(), request.clientAddress());
            AuditLog.signInFailed("", request.clientAddress(), "passkey_refused");
        }
        return done(passwordPage(request, attempt, "", Optional.of(BuiltinSignInPage.PASSKEY_REFUSED), Optional.empty()));
    }

    /** What a passkey request offered on this attempt's page is sealed for: the attempt, and nothing else. */
    private static String ceremonyContext(SignInAttempt attempt) {
        return "attempt:" + attempt.state();
    }

    private CompletionStage<LocalAnswer> answer(EndpointRequest request, SignInAttempt attempt, String email,
            Outcome outcome) {
        if (outcome instanceof Outcome.SignedIn signedIn) {
            return StoreUnavailable.asking(() -> provider.issueCode(signedIn.user(), attempt.state(), attempt.nonce()))
                    .thenApply(code -> {
                        QueryStringEncoder url = new QueryStringEncoder(callbackUrl);
                        url.addParam("code", code);
                        url.addParam("state", attempt.state());
                        return LocalAnswer.redirect(url.toString());
                    });
        }
        if (outcome instanceof Outcome.NeedsTotp needsTotp) {
            return done(LocalAnswer.page(alloc -> BuiltinSignInPage.code(alloc, request.requestId(), form(attempt),
                    needsTotp.pendingTicket())));
        }
        if (outcome instanceof Outcome.Throttled throttled) {
            AuditLog.signInFailed(email, request.clientAddress(), "throttled");
            Duration wait = throttled.retryAfter();
            return done(passwordPage(request, attempt, email, Optional.of(BuiltinSignInPage.throttledMessage(wait)),
                    Optional.of(wait)));
        }
        AuditLog.signInFailed(email, request.clientAddress(), "wrong_credentials");
        return done(passwordPage(request, attempt, email, Optional.of(BuiltinSignInPage.REFUSED), Optional.empty()));
    }

    /** The password form, offering a passkey with a fresh challenge sealed for this attempt. */
    private LocalAnswer passwordPage(EndpointRequest request, SignInAttempt attempt, String email,
            Optional<String> message, Optional<Duration> retryAfter) {
        PasskeySignIn.Started passkey = passkeys.signIn().start();
        BuiltinSignInPage.PasskeyOffer offer = new BuiltinSignInPage.PasskeyOffer(passkey.optionsJson(),
                seal.seal(passkey.pending(), ceremonyContext(attempt)));
        return LocalAnswer.page(alloc -> BuiltinSignInPage.password(alloc, request.requestId(), form(attempt), email,
                message, retryAfter, Optional.of(offer)));
    }

    private static BuiltinSignInPage.Attempt form(SignInAttempt attempt) {
        return new BuiltinSignInPage.Attempt(attempt.state(), attempt.nonce(),
                Optional.of(ReturnUrls.authority(attempt.returnUrl())));
    }

    /**
     * The sign-in attempt sealed in this browser's {@code _pomerium_csrf} cookie, when {@code state}
     * and {@code nonce} are the ones it holds: the form's CSRF check.
     */
    private Optional<SignInAttempt> attempt(EndpointRequest request, Optional<String> state, Optional<String> nonce) {
        if (state.isEmpty() || nonce.isEmpty()) {
            return Optional.empty();
        }
        return SessionCookies.read(request.cookies(),
                        AuthenticateEndpoints.csrfCookie(cookies))
                .flatMap(value -> attempts.open(value, clock.instant()))
                .filter(a -> constantTimeEquals(state.get(), a.state())
                        && constantTimeEquals(nonce.get(), a.nonce()));
    }

    private LocalAnswer expired(EndpointRequest request) {
        return problem(request, ProxyFailure.SIGN_IN_EXPIRED, Optional.empty());
    }

    private static LocalAnswer problem(EndpointRequest request, ProxyFailure failure, Optional<String> retry) {
        return LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc, failure, request.requestId(), request.accept(),
                Optional.empty(), retry));
    }

    private static CompletionStage<LocalAnswer> done(LocalAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
