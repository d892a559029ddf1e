package dev.portcullis.authn.signin;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.NonBlockingRandom;
import dev.portcullis.authn.store.SingleUse;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Issues and redeems sign-in hand-offs: sealed with a key derived from {@code SHARED_SECRET}
 * (authenticated encryption, so a hand-off can be neither read nor forged), valid for
 * {@link #LIFETIME}, for one host, and single-use: a redeemed hand-off's id is claimed in a
 * {@link SingleUse} store until it would have expired, and a second redemption is refused. (With
 * the in-memory store, replicas behind one balancer each remember their own redemptions; the short
 * lifetime bounds what that leaves open.)
 */
public final class Handoffs {
    /** Long enough for a browser to follow two redirects on a slow phone; short enough not to be worth stealing. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final CompletionStage<Optional<Handoff>> REFUSED = CompletableFuture.completedFuture(Optional.empty());

    private final SealedJson sealed;
    private final SecureRandom random = NonBlockingRandom.get();
    private final SingleUse redeemed;

    /**
     * @param sharedSecret the 32-byte {@code SHARED_SECRET}
     * @param redeemed     remembers the ids of redeemed hand-offs
     */
    public Handoffs(byte[] sharedSecret, SingleUse redeemed) {
        this.sealed = new SealedJson(sharedSecret, "sign-in handoff");
        this.redeemed = requireNonNull(redeemed, "redeemed");
    }
    /** A hand-off token for {@code handoff.host()}, valid from {@code now} for {@link #LIFETIME}. */
    public String issue(Handoff handoff, Instant now) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        Map<String, Object> json = new HashMap<>();
        json.put("jti", Base64.getUrlEncoder().withoutPadding().encodeToString(id));
        json.put("aud", handoff.host());
        json.put("s", handoff.sealedRouteSession());
        json.put("r", handoff.returnUrl().toString());
        handoff.programmaticRedirect().ifPresent(uri -> json.put("pr", uri.toString()));
        return sealed.seal(json, now.plus(LIFETIME));
    }

    /**
     * The hand-off in {@code token} when it is authentic, current, meant for {@code host} (a host name, without
     * a port, compared ignoring case), and not redeemed before; it counts as redeemed from now on. Empty otherwise. Fails (closed) only when
     * the store of redeemed hand-offs could not answer.
     */
    public CompletionStage<Optional<Handoff>> redeem(String token, String host, Instant now) {
        Optional<Map<String, Object>> json = sealed.open(token, now);
        if (json.isEmpty()) {
            return REFUSED;
        }
        Map<String, Object> members = json.get();
        Optional<String> id = SealedJson.string(members, "jti");
        Optional<String> audience = SealedJson.string(members, "aud");
        Optional<String> session = SealedJson.string(members, "s");
        Optional<String> returnUrl = SealedJson.string(members, "r");
        if (id.isEmpty() || audience.isEmpty() || session.isEmpty() || returnUrl.isEmpty()
                || !audience.get().equalsIgnoreCase(host)) {
            return REFUSED;
        }
        Optional<Handoff> handoff;
        try {
            handoff = Optional.of(new Handoff(audience.get(), session.get(), URI.create(returnUrl.get()),
                    SealedJson.string(members, "pr").map(URI::create)));
        } catch (IllegalArgumentException e) {
            return REFUSED;
        }
        Instant expiresAt = Instant.ofEpochSecond(((Number) members.get(SealedJson.EXPIRY)).longValue());
        return redeemed.claim(id.get(), expiresAt).thenApply(first -> first ? handoff : Optional.<Handoff>empty());
    }
}
