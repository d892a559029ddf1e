package dev.portcullis.authn.idp;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which signatures a provider's tokens may carry: the asymmetric algorithms its discovery document
 * lists (RS256 when it lists none), verified with keys from its {@code jwks_uri}. Unsecured
 * ({@code alg: none}) and HMAC-signed tokens are never accepted.
 */
final class ProviderKeys {

    private ProviderKeys() {
    }

    static JWSVerificationKeySelector<SecurityContext> selector(DiscoveredProvider provider) {
        List<JWSAlgorithm> listed = provider.metadata().getIDTokenJWSAlgs();
        Set<JWSAlgorithm> accepted = new LinkedHashSet<>();
        if (listed != null) {
            for (JWSAlgorithm algorithm : listed) {
                if (JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
                    accepted.add(algorithm);
                }
            }
        }
        if (accepted.isEmpty()) {
            accepted.add(JWSAlgorithm.RS256);
        }
        return new JWSVerificationKeySelector<>(accepted, provider.keys());
    }

    /** The failure for a token that could not be checked: keys unreachable, or the token bad. */
    static IdentityProviderException failure(String what, Exception e) {
        if (e instanceof KeySourceException) {
            return IdentityProviderException.unavailable(what + ": the provider's keys could not be fetched");
        }
        return IdentityProviderException.rejected(what + " rejected: " + reason(e));
    }

    // Nimbus messages read "what: value"; the value may echo a token part (a nonce), so keep only "what".
    private static String reason(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int colon = message.indexOf(':');
        return colon > 0 ? message.substring(0, colon) : message;
    }
}
