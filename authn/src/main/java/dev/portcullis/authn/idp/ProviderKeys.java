package dev.portcullis.authn.idp;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which signatures a provider's tokens may carry: the asymmetric algorithms its discovery document
 * lists (RS256 when it lists none), verified with keys from its {@code jwks_uri}. Unsecured
 * ({@code alg: none}) and HMAC-signed tokens are never accepted.
 */
final class ProviderKeys {

    private static final Pattern CLAIM_NAMES = Pattern.compile("\\s*\\[[A-Za-z0-9_, ]*\\]\\s*");

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

    /**
     * Nimbus messages read "what: value"; the value may echo a token part (a nonce), so only "what"
     * is kept, unless the value is a list of claim names ("JWT missing required claims: [events]") or
     * a signature failure's fixed text ("Signed JWT rejected: Invalid signature").
     */
    private static String reason(Exception e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int colon = message.indexOf(':');
        if (colon < 0 || message.startsWith("Signed JWT rejected:") || CLAIM_NAMES.matcher(message.substring(colon + 1)).matches()) {
            return message;
        }
        return message.substring(0, colon);
    }
}
