package dev.portcullis.authn.signin;

import java.net.URI;
import dev.portcullis.authn.NonBlockingRandom;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and redeems sign-in hand-offs: sealed with a key derived from {@code SHARED_SECRET}
 * (authenticated encryption, so a hand-off can be neither read nor forged), valid for
 * {@link #LIFETIME}, for one host, and single-use: a redeemed hand-off's id is remembered until it
 * would have expired, and a second redemption is refused. (Replicas behind one balancer each
 * remember their own redemptions; the short lifetime bounds what that leaves open.)
 */
public final class Handoffs {
    /** Long enough for a browser to follow two redirects on a slow phone; short enough not to be worth stealing. */
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final int MAX_REMEMBERED = 100_000;

    private final SealedJson sealed;
    private final SecureRandom random = NonBlockingRandom.get();
    private final Map<String, Instant> redeemed = new ConcurrentHashMap<>();

    /** @param sharedSecret the 32-byte {@code SHARED_SECRET} */
    public Handoffs(byte[] sharedSecret) {
        this.sealed = new SealedJson(sharedSecret, "sign-in handoff");
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
     * The hand-off in {@code token} when it is authentic, current, meant for {@code host}, and not
     * redeemed before; it counts as redeemed from now on. Empty otherwise; never throws.
     */
    public Optional<Handoff> redeem(String token, String host, Instant now) {
        Optional<Map<String, Object>> json = sealed.open(token, now);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> members = json.get();
        Optional<String> id = SealedJson.string(members, "jti");
        Optional<String> audience = SealedJson.string(members, "aud");
        Optional<String> session = SealedJson.string(members, "s");
        Optional<String> returnUrl = SealedJson.string(members, "r");
        if (id.isEmpty() || audience.isEmpty() || session.isEmpty() || returnUrl.isEmpty()
                || !audience.get().equalsIgnoreCase(host)) {
            return Optional.empty();
        }
        forgetExpired(now);
        Instant expiresAt = Instant.ofEpochSecond(((Number) members.get(SealedJson.EXPIRY)).longValue());
        if (redeemed.size() >= MAX_REMEMBERED || redeemed.putIfAbsent(id.get(), expiresAt) != null) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Handoff(audience.get(), session.get(), URI.create(returnUrl.get()),
                    SealedJson.string(members, "pr").map(URI::create)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private void forgetExpired(Instant now) {
        if (redeemed.size() > 1024) {
            redeemed.values().removeIf(expiry -> !now.isBefore(expiry));
        }
    }
}
