package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * A route's own OAuth client of the top-level identity provider ({@code idp_client_id},
 * {@code idp_client_secret} on the route, as in Pomerium): people sign in to the route through this
 * client; what is not set is the top-level one's. {@link #toString()} never prints the secret.
 *
 * @param clientId     the route's {@code idp_client_id}, in place of the top-level one
 * @param clientSecret the route's {@code idp_client_secret}, in place of the top-level one
 */
public record RouteIdpClient(Optional<String> clientId, Optional<String> clientSecret) {

    /** No client of its own: the route signs people in through the top-level client. */
    public static final RouteIdpClient NONE = new RouteIdpClient(Optional.empty(), Optional.empty());

    public RouteIdpClient {
        requireNonNull(clientId, "clientId");
        requireNonNull(clientSecret, "clientSecret");
    }

    /** Whether the route names a client (id or secret) of its own. */
    public boolean isOwn() {
        return clientId.isPresent() || clientSecret.isPresent();
    }

    @Override
    public String toString() {
        return "RouteIdpClient[clientId=" + clientId.orElse("top-level") + ", clientSecret="
                + (clientSecret.isPresent() ? "set" : "top-level") + "]";
    }
}
