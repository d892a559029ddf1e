package dev.portcullis.proxy.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.builtin.PasswordHasher;
import dev.portcullis.authn.file.BlockingFileWork;
import dev.portcullis.authn.invitation.Invitation;
import dev.portcullis.authn.invitation.InvitationAcceptance;
import dev.portcullis.authn.invitation.Invitations;
import dev.portcullis.authn.passkey.PasskeyCeremonySeal;
import dev.portcullis.authn.passkey.PasskeyRegistration;
import dev.portcullis.proxy.digest.Sha256;
import dev.portcullis.proxy.failure.ProxyFailure;
import dev.portcullis.proxy.log.AuditLog;
import dev.portcullis.proxy.pages.BuiltinSignInPage;
import dev.portcullis.proxy.pages.InvitationPage;
import dev.portcullis.proxy.pages.SignInProblemPage;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where an invitation ({@code portcullis users invite}) is redeemed, on the authenticate host:
 * <ul>
 * <li>{@code GET /.pomerium/builtin/invitation?token=…}: the set-up page ({@link InvitationPage}), or 410 when the
 *     link was used, expired, withdrawn or never issued;</li>
 * <li>{@code POST /.pomerium/builtin/invitation} (token, password, password_again): the chosen password, at least
 *     {@value InvitationPage#MIN_PASSWORD_CHARS} characters and typed the same twice, is hashed (Argon2id, off the event
 *     loop) and the invitation accepted: the person is a user with it;</li>
 * <li>{@code POST …/invitation/passkey_options} (token) and {@code POST …/invitation/passkey} (token, ceremony,
 *     credential, name): a passkey registered for the invited email, the ceremony sealed for this invitation; the
 *     invitation is accepted only once the browser's answer is verified, so a failed or cancelled ceremony leaves the
 *     link usable.</li>
 * </ul>
 * An invitation works once, also across replicas sharing the users directory (the invitations file is changed under
 * its lock). Passkeys left in the passkeys file under the invited email (of a user removed by hand) are removed first:
 * they belong to nobody. Once accepted, the users file is read again at once, so the new user can sign in straight
 * away; the audit event {@code invitation_accepted} says how they set up. The token never reaches a log.
 */
final class InvitationEndpoints {
    private static final Logger log = LoggerFactory.getLogger(InvitationEndpoints.class);

    private final Invitations invitations;
    private final InvitationAcceptance acceptance;
    private final ProviderStack.Passkeys passkeys;
    private final UsersFileWatch users;
    private final PasskeyCeremonySeal seal;
    private final Executor blocking;
    private final Clock clock;

    /**
     * @param users    the watched users file: the invitations file lies beside it, and accepted invitations add to it
     * @param passkeys registers an invited person's passkey
     * @param seal     seals the passkey ceremony for the invitation
     * @param blocking where files are read and written and passwords hashed
     */
    InvitationEndpoints(UsersFileWatch users, ProviderStack.Passkeys passkeys, PasskeyCeremonySeal seal, Executor blocking,
            Clock clock) {
        this.users = requireNonNull(users, "users");
        this.invitations = new Invitations(Invitations.besideUsersFile(users.file()));
        this.acceptance = new InvitationAcceptance(invitations, users.file());
        this.passkeys = requireNonNull(passkeys, "passkeys");
        this.seal = requireNonNull(seal, "seal");
        this.blocking = requireNonNull(blocking, "blocking");
        this.clock = requireNonNull(clock, "clock");
    }

    static boolean isOwnPath(String path) {
        return path.equals(InvitationPage.PASSWORD_PATH) || path.equals(InvitationPage.PASSKEY_OPTIONS_PATH)
                || path.equals(InvitationPage.PASSKEY_PATH);
    }

    CompletionStage<LocalAnswer> handle(EndpointRequest request) {
        String path = request.path();
        boolean post = request.method().equals("POST");
        if (path.equals(BuiltinSignInPage.INVITATION_PATH) && !post) {
            Optional<String> token = request.parameter("token");
            return token.isEmpty() ? done(unusable(request)) : setUpPage(request, token.get(), Optional.empty());
        }
        Optional<String> token = request.formField("token").filter(t -> !t.isEmpty());
        if (!post) {
            return done(LocalAnswer.page(alloc -> SignInProblemPage.problem(alloc, ProxyFailure.NO_ROUTE,
                    request.requestId(), request.accept(), Optional.empty(), Optional.empty())));
        }
        if (token.isEmpty()) {
            return done(unusable(request));
        }
        if (path.equals(InvitationPage.PASSWORD_PATH)) {
            return password(request, token.get());
        }
        if (path.equals(InvitationPage.PASSKEY_OPTIONS_PATH)) {
            return passkeyOptions(token.get());
        }
        return passkey(request, token.get());
    }

    private CompletionStage<LocalAnswer> setUpPage(EndpointRequest request, String token, Optional<String> message) {
        return BlockingFileWork.on(blocking, () -> invitations.find(token, clock.instant())).thenApply(invitation -> invitation
                .<LocalAnswer>map(i -> LocalAnswer.page(alloc -> InvitationPage.setUp(alloc, request.requestId(),
                        new InvitationPage.Invited(i.email(), i.name(), i.expiresAt()), token, message, clock.instant())))
                .orElseGet(() -> unusable(request)));
    }

    private CompletionStage<LocalAnswer> password(EndpointRequest request, String token) {
        String password = request.formField("password").orElse("");
        String again = request.formField("password_again").orElse("");
        if (password.length() < InvitationPage.MIN_PASSWORD_CHARS || password.length() > InvitationPage.MAX_PASSWORD_CHARS) {
            return setUpPage(request, token, Optional.of("Choose a password of " + InvitationPage.MIN_PASSWORD_CHARS
                    + " to " + InvitationPage.MAX_PASSWORD_CHARS + " characters."));
        }
        if (!password.equals(again)) {
            return setUpPage(request, token, Optional.of("The two passwords differ. Type the same password twice."));
        }
        char[] chars = password.toCharArray();
        return BlockingFileWork.on(blocking, () -> {
            try {
                if (invitations.find(token, clock.instant()).isEmpty()) {
                    return Optional.<InvitationAcceptance.Outcome>empty(); // no hashing for a dead link
                }
                String hash = PasswordHasher.hash(chars);
                return Optional.of(accepted(acceptance.accept(token, Optional.of(hash), clock.instant())));
            } finally {
                Arrays.fill(chars, '\0');
            }
        }).thenApply(outcome -> {
            if (outcome.isPresent() && outcome.get() instanceof InvitationAcceptance.Outcome.Accepted done) {
                AuditLog.invitationAccepted(done.user().normalizedEmail(), "password", request.clientAddress());
                return LocalAnswer.page(alloc -> InvitationPage.accepted(alloc, request.requestId(), done.user().email(), false));
            }
            outcome.ifPresent(o -> log.info("invitation: not accepted: {} (client {})",
                    ((InvitationAcceptance.Outcome.Refused) o).reason(), request.clientAddress()));
            return unusable(request);
        });
    }

    /** The registration options for the invited email, the ceremony sealed for this invitation. */
    private CompletionStage<LocalAnswer> passkeyOptions(String token) {
        return BlockingFileWork.on(blocking, () -> {
            Optional<Invitation> invitation = invitations.find(token, clock.instant());
            if (invitation.isPresent() && users.get().find(invitation.get().email()).isEmpty()) {
                int orphans = passkeys.store().resetFor(invitation.get().normalizedEmail());
                if (orphans > 0) {
                    log.warn("invitation: {} passkeys of {}, who is no user, removed before registering a new one",
                            orphans, invitation.get().normalizedEmail());
                }
            }
            return invitation;
        }).thenCompose(invitation -> invitation.isEmpty()
                ? done(LocalAnswer.body(HttpResponseStatus.GONE, "application/json",
                        "{\"error\":\"the invitation was used already, has expired or was withdrawn\"}", "no-store"))
                : passkeys.registration().start(invitation.get().asUser(Optional.empty()))
                        .thenApply(started -> PasskeyManagementEndpoints.optionsAnswer(started, seal, context(token))));
    }

    private CompletionStage<LocalAnswer> passkey(EndpointRequest request, String token) {
        Optional<PasskeyRegistration.Pending> pending = request.formField("ceremony")
                .flatMap(sealed -> seal.openRegistration(sealed, context(token), clock.instant()));
        Optional<String> credential = request.formField("credential").filter(c -> !c.isEmpty());
        if (pending.isEmpty() || credential.isEmpty()) {
            return setUpPage(request, token, Optional.of(NOT_REGISTERED));
        }
        String name = PasskeyName.typedOr(request.formField("name"), clock.instant());
        String[] accepted = new String[1];
        return passkeys.registration().finishAdmitting(pending.get(), credential.get(), name, email -> {
            InvitationAcceptance.Outcome outcome = accepted(acceptance.accept(token, Optional.empty(), clock.instant()));
            if (outcome instanceof InvitationAcceptance.Outcome.Accepted done) {
                accepted[0] = done.user().email();
                return Optional.empty();
            }
            return Optional.of(((InvitationAcceptance.Outcome.Refused) outcome).reason());
        }).thenCompose(outcome -> {
            if (outcome instanceof PasskeyRegistration.Outcome.Registered registered) {
                AuditLog.invitationAccepted(registered.credential().email(), "passkey", request.clientAddress());
                AuditLog.passkeyAdded(registered.credential().email(), registered.credential().id(),
                        registered.credential().name());
                return done(LocalAnswer.page(alloc -> InvitationPage.accepted(alloc, request.requestId(), accepted[0], true)));
            }
            log.info("invitation: a passkey not registered: {} (client {})",
                    ((PasskeyRegistration.Outcome.Refused) outcome).reason(), request.clientAddress());
            return setUpPage(request, token, Optional.of(NOT_REGISTERED));
        });
    }

    private static final String NOT_REGISTERED = "The passkey was not registered: it was cancelled, took too long, or"
            + " is registered already. Try again, or choose a password.";

    /** {@code outcome}, after reading the users file again when it made a user (so they can sign in at once). */
    private InvitationAcceptance.Outcome accepted(InvitationAcceptance.Outcome outcome) {
        if (outcome instanceof InvitationAcceptance.Outcome.Accepted) {
            users.check();
        }
        return outcome;
    }

    /** What a passkey ceremony of this invitation is sealed for: the token's digest (the token stays out of it). */
    private static String context(String token) {
        return "invitation:" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Sha256.of(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static LocalAnswer unusable(EndpointRequest request) {
        return LocalAnswer.page(alloc -> InvitationPage.unusable(alloc, request.requestId()));
    }

    private static CompletionStage<LocalAnswer> done(LocalAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
