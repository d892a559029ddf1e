package dev.portcullis.authn.idp;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.time.Duration;

/**
 * Sends one blocking HTTP request to a provider with the connect and read timeouts every provider
 * call uses. Call only from the blocking executor. A network error or timeout, and any 5xx answer,
 * becomes {@link IdentityProviderException.Kind#UNAVAILABLE}; other answers are returned as they are.
 */
final class ProviderTransport {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    static final String USER_AGENT = "Portcullis";

    HTTPResponse send(HTTPRequest request, String what) {
        request.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        request.setReadTimeout((int) READ_TIMEOUT.toMillis());
        request.setFollowRedirects(false);
        if (request.getHeaderValue("User-Agent") == null) {
            request.setHeader("User-Agent", USER_AGENT);
        }
        HTTPResponse response;
        try {
            response = request.send();
        } catch (IOException e) {
            // the host alone: a URL may carry a query we do not want in logs
            throw new IdentityProviderException(IdentityProviderException.Kind.UNAVAILABLE,
                    what + " failed: could not reach " + request.getURI().getHost() + " ("
                            + e.getClass().getSimpleName() + ")", e);
        }
        if (response.getStatusCode() >= 500) {
            throw IdentityProviderException.unavailable(
                    what + " failed: " + request.getURI().getHost() + " answered " + response.getStatusCode());
        }
        return response;
    }
}
