package dev.portcullis.authn.store.postgres;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.session.Purpose;
import dev.portcullis.authn.session.Session;
import dev.portcullis.authn.session.SessionSealer;
import dev.portcullis.authn.store.OneTimeCodes;
import java.time.Clock;

/**
 * How {@link PostgresRenewedSessions} keeps a renewed session: sealed with the cookie secret for
 * {@link Purpose#SHARED_RENEWAL}, as on Redis, so the database never holds a token in clear and a stored value never
 * opens as a cookie.
 */
public final class SealedRenewals implements OneTimeCodes.Codec<Session> {
    private final SessionSealer sealer;
    private final Clock clock;

    /** @param clock tells an expired renewal, which does not open */
    public SealedRenewals(SessionSealer sealer, Clock clock) {
        this.sealer = requireNonNull(sealer, "sealer");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String encode(Session value) {
        return sealer.seal(value, Purpose.SHARED_RENEWAL);
    }

    @Override
    public Session decode(String encoded) {
        return sealer.unseal(encoded, Purpose.SHARED_RENEWAL, clock.instant()).orElseThrow(() ->
                new IllegalArgumentException("a stored renewal that does not open (another cookie secret, tampered, or expired)"));
    }
}
