package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import java.util.List;

/**
 * Sends a grant (authorization code with PKCE verifier, or refresh token) to the discovered token
 * endpoint (RFC 6749 §4.1.3, §6) and reads the OpenID Connect token response. The client
 * authenticates with {@code client_secret_basic}, or {@code client_secret_post} when discovery lists
 * only that. An OAuth error answer is {@code REJECTED} naming the error code (never its description,
 * which a provider may fill with anything); a network failure or 5xx is {@code UNAVAILABLE}.
 */
final class TokenRedemption {

    private final ClientID clientId;
    private final Secret clientSecret;
    private final ProviderTransport transport;

    TokenRedemption(ClientID clientId, Secret clientSecret, ProviderTransport transport) {
        this.clientId = requireNonNull(clientId, "clientId");
        this.clientSecret = requireNonNull(clientSecret, "clientSecret");
        this.transport = requireNonNull(transport, "transport");
    }

    /** The tokens the provider returned; the ID token may be absent (usual on refresh). */
    OIDCTokens redeem(DiscoveredProvider provider, AuthorizationGrant grant, String what) {
        OIDCProviderMetadata metadata = provider.metadata();
        if (metadata.getTokenEndpointURI() == null) {
            throw IdentityProviderException.unavailable(what + " failed: discovery lists no token_endpoint");
        }
        TokenRequest request = new TokenRequest(metadata.getTokenEndpointURI(), authentication(metadata), grant);
        HTTPResponse response = transport.send(request.toHTTPRequest(), what);
        TokenResponse answer;
        try {
            answer = OIDCTokenResponseParser.parse(response);
        } catch (ParseException e) {
            throw IdentityProviderException.rejected(what + " failed: the token endpoint answered "
                    + response.getStatusCode() + " with no valid token response");
        }
        if (answer instanceof TokenErrorResponse error) {
            ErrorObject object = error.getErrorObject();
            String code = object == null || object.getCode() == null ? "no error code" : object.getCode();
            throw IdentityProviderException.rejected(what + " refused by the identity provider: " + code);
        }
        if (!(answer instanceof OIDCTokenResponse tokens)) {
            throw IdentityProviderException.rejected(what + " failed: unexpected token response");
        }
        return tokens.getOIDCTokens();
    }

    private ClientAuthentication authentication(OIDCProviderMetadata metadata) {
        List<ClientAuthenticationMethod> methods = metadata.getTokenEndpointAuthMethods();
        boolean postOnly = methods != null && !methods.isEmpty()
                && !methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                && methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_POST);
        return postOnly ? new ClientSecretPost(clientId, clientSecret) : new ClientSecretBasic(clientId, clientSecret);
    }
}
