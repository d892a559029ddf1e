package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.BuiltinUser;
import dev.portcullis.authn.builtin.ThrottledName;
import dev.portcullis.authn.builtin.UsersFile;
import dev.portcullis.authn.file.BlockingFileWork;
import dev.portcullis.authn.passkey.PasskeyCeremonySeal;
import dev.portcullis.authn.passkey.PasskeyCredential;
import dev.portcullis.authn.passkey.PasskeyRegistration;
import dev.portcullis.authn.session.Session;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.log.AuditLog;
import dev.portcullis.proxy.pages.PasskeysSection;
import dev.portcullis.proxy.pages.SignInProblemPage;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A signed-in built-in user's own passkeys, on the authenticate host (the relying party): the "Passkeys" section of
 * its {@code /.pomerium/} page, and the {@code POST}s its forms make below {@code /.pomerium/builtin/passkeys/}:
 * <ul>
 * <li>{@code options}: a fresh registration challenge for the signed-in user, as JSON
 *     {@code {"options": PublicKeyCredentialCreationOptionsJSON, "ceremony": sealed}}; the ceremony is sealed for
 *     this session, so no other session can finish it;</li>
 * <li>{@code add} (ceremony, credential, name): checks the browser's answer and stores the passkey;</li>
 * <li>{@code rename} (id, name) and {@code remove} (id): change one of the user's own passkeys (another user's id
 *     changes nothing).</li>
 * </ul>
 * Every change answers with a redirect back to the page, whose notice says what happened. A change must come from a
 * page of the authenticate host itself ({@link #fromOwnPage}: its {@code Origin}, or {@code Sec-Fetch-Site:
 * same-origin} where the browser hides the origin), else 403 — no other site, not even a route host of the same
 * site, can make a browser send these — and it needs the authenticate host's session. File reads and writes run on {@code blocking}, never on the event loop.
 */
final class PasskeyManagementEndpoints {
    static final String PREFIX = "/.pomerium/builtin/passkeys/";
    private static final String USER_PAGE = "/.pomerium/";
    private static final Logger log = LoggerFactory.getLogger(PasskeyManagementEndpoints.class);

    /** What the user page says after a change, by the value of its {@code passkey} query parameter. */
    private static final Map<String, String> NOTICES = Map.of(
            "added", "The passkey is added. You can sign in with it now.",
            "renamed", "The passkey is renamed.",
            "removed", "The passkey is removed. It no longer signs you in.",
            "refused", "The passkey was not added: the browser's answer was not accepted, or took too long. Try again.",
            "gone", "That passkey is not yours, or was removed already.");

    private final ProviderStack.Passkeys passkeys;
    private final Supplier<UsersFile> users;
    private final PasskeyCeremonySeal seal;
    private final Executor blocking;
    private final Clock clock;

    /**
     * @param passkeys the store and the registration ceremony
     * @param users    the current users file
     * @param seal     seals the ceremony between its two requests
     * @param blocking where the passkeys file is read and written
     */
    PasskeyManagementEndpoints(ProviderStack.Passkeys passkeys, Supplier<UsersFile> users, PasskeyCeremonySeal seal,
            Executor blocking, Clock clock) {
        this.passkeys = requireNonNull(passkeys, "passkeys");
        this.users = requireNonNull(users, "users");
        this.seal = requireNonNull(seal, "seal");
        this.blocking = requireNonNull(blocking, "blocking");
        this.clock = requireNonNull(clock, "clock");
    }

    static boolean isOwnPath(String path) {
        return path.startsWith(PREFIX);
    }

    /** The passkeys section of {@code session}'s page; the request may ask to start adding one, or carry a notice. */
    CompletionStage<PasskeysSection.Managed> section(EndpointRequest request, Session session) {
        Optional<String> shown = request.parameter(PasskeysSection.ADD_PARAMETER);
        boolean autostart = shown.filter("add"::equals).isPresent();
        Optional<String> notice = shown.map(NOTICES::get);
        return BlockingFileWork.on(blocking, () -> passkeys.store().list(BuiltinUser.normalize(session.userId()))).thenApply(list -> new PasskeysSection.Managed(list.stream()
                .map(p -> new PasskeysSection.Entry(p.id(), p.name(), p.created(), p.lastUsed())).toList(), notice, autostart));
    }

    /** A request below {@link #PREFIX}, with the authenticate host's session when the browser has one. */
    CompletionStage<LocalAnswer> handle(EndpointRequest request, Optional<Session> session) {
        String action = request.path().substring(PREFIX.length());
        if (!request.method().equals("POST") || !(action.equals("options") || action.equals("add")
                || action.equals("rename") || action.equals("remove"))) {
            return done(problem(request, ProxyFailure.NO_ROUTE, Optional.empty()));
        }
        if (!fromOwnPage(request)) {
            log.info("passkeys: a {} from another origin ({}) refused (client {})", action,
                    request.origin().map(ThrottledName::printable).orElse("none sent"), request.clientAddress());
            return done(problem(request, ProxyFailure.FORBIDDEN,
                    Optional.of("passkeys can only be changed from this sign-in host's own page")));
        }
        Optional<BuiltinUser> user = session.flatMap(s -> users.get().find(s.userId()));
        if (user.isEmpty()) {
            return done(action.equals("options")
                    ? problem(request, ProxyFailure.UNAUTHENTICATED, Optional.of("sign in again to change your passkeys"))
                    : LocalAnswer.redirect(USER_PAGE));
        }
        String context = "session:" + session.get().sessionId();
        return switch (action) {
            case "options" -> options(user.get(), context);
            case "add" -> add(request, user.get(), context);
            case "rename" -> rename(request, user.get());
            default -> remove(request, user.get());
        };
    }

    private CompletionStage<LocalAnswer> options(BuiltinUser user, String context) {
        return passkeys.registration().start(user).thenApply(started -> optionsAnswer(started, seal, context));
    }

    /**
     * What the registration form's script fetches: {@code {"options": PublicKeyCredentialCreationOptionsJSON,
     * "ceremony": sealed}}, the ceremony sealed for {@code context} (here a session; an invitation's page too).
     */
    static LocalAnswer optionsAnswer(PasskeyRegistration.Started started, PasskeyCeremonySeal seal, String context) {
        return LocalAnswer.body(HttpResponseStatus.OK, "application/json", "{\"options\":" + started.optionsJson()
                + ",\"ceremony\":\"" + seal.seal(started.pending(), context) + "\"}", "no-store");
    }

    private CompletionStage<LocalAnswer> add(EndpointRequest request, BuiltinUser user, String context) {
        Optional<PasskeyRegistration.Pending> pending = request.formField("ceremony")
                .flatMap(sealed -> seal.openRegistration(sealed, context, clock.instant()))
                .filter(p -> p.email().equals(user.normalizedEmail()));
        Optional<String> credential = request.formField("credential").filter(c -> !c.isEmpty());
        if (pending.isEmpty() || credential.isEmpty()) {
            return done(back("refused"));
        }
        String name = PasskeyName.typedOr(request.formField("name"), clock.instant());
        return passkeys.registration().finish(pending.get(), credential.get(), name).thenApply(outcome -> {
            if (outcome instanceof PasskeyRegistration.Outcome.Registered registered) {
                PasskeyCredential added = registered.credential();
                AuditLog.passkeyAdded(added.email(), added.id(), added.name());
                return back("added");
            }
            log.info("passkeys: a registration for {} refused: {}", user.normalizedEmail(),
                    ((PasskeyRegistration.Outcome.Refused) outcome).reason());
            return back("refused");
        });
    }

    private CompletionStage<LocalAnswer> rename(EndpointRequest request, BuiltinUser user) {
        Optional<String> id = request.formField("id");
        Optional<String> name = PasskeyName.typed(request.formField("name"));
        if (id.isEmpty() || name.isEmpty()) {
            return done(back("gone"));
        }
        return BlockingFileWork.on(blocking, () -> passkeys.store().rename(user.normalizedEmail(), id.get(), name.get()))
                .thenApply(renamed -> back(renamed ? "renamed" : "gone"));
    }

    private CompletionStage<LocalAnswer> remove(EndpointRequest request, BuiltinUser user) {
        Optional<String> id = request.formField("id");
        if (id.isEmpty()) {
            return done(back("gone"));
        }
        return BlockingFileWork.on(blocking, () -> passkeys.store().remove(user.normalizedEmail(), id.get())).thenApply(removed -> {
            if (removed) {
                AuditLog.passkeyRemoved(user.normalizedEmail(), id.get());
            }
            return back(removed ? "removed" : "gone");
        });
    }


    /**
     * Whether the request comes from a page of the authenticate host itself: its {@code Origin} is the relying party's
     * origin; or, where the browser hides the origin ({@code Origin: null} under {@code Referrer-Policy: no-referrer},
     * which a front proxy may add to every answer), it says {@code Sec-Fetch-Site: same-origin}, a header no page can
     * set or forge.
     */
    private boolean fromOwnPage(EndpointRequest request) {
        Optional<String> origin = request.origin();
        if (origin.isPresent() && !origin.get().equals("null")) {
            return origin.get().equals(passkeys.relyingParty().origin());
        }
        return request.fetchSite().filter("same-origin"::equals).isPresent();
    }

    /** Back to the user page's passkeys, saying what happened. */
    private static LocalAnswer back(String notice) {
        return LocalAnswer.redirect(USER_PAGE + "?" + PasskeysSection.ADD_PARAMETER + "=" + notice + "#passkeys");
    }

    private static LocalAnswer problem(EndpointRequest request, ProxyFailure failure, Optional<String> detail) {
        return LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc, failure, request.requestId(), request.accept(),
                detail, Optional.empty()));
    }

    private static CompletionStage<LocalAnswer> done(LocalAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
