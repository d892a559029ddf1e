package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * GitHub (and GitHub Enterprise Server) sign-in: plain OAuth 2, no ID token. The browser goes to
 * {@code {base}/login/oauth/authorize} (state, and a PKCE S256 challenge); the code is redeemed at
 * {@code {base}/login/oauth/access_token} with {@code client_secret_post} and
 * {@code Accept: application/json} (GitHub answers errors with 200 and an {@code error} field, read
 * as {@code REJECTED}); the identity is then read from the REST API ({@link GitHubAccountReader}).
 *
 * <p>GitHub has no refresh ({@code REJECTED} "does not support refresh"), no end-session endpoint
 * (always empty) and no back-channel logout ({@code REJECTED}).
 */
final class GitHubIdentityProvider implements IdentityProvider {

    static final URI GITHUB = URI.create("https://github.com");
    static final URI GITHUB_API = URI.create("https://api.github.com");

    private final ClientID clientId;
    private final Secret clientSecret;
    private final Scope scope;
    private final Map<String, String> requestParams;
    private final String base;
    private final ProviderTransport transport;
    private final GitHubAccountReader accounts;
    private final Executor blocking;

    /** @param settings the resolved settings: base URL present, scopes and parameters final */
    GitHubIdentityProvider(ProviderSettings settings, ProviderTransport transport, Executor blocking) {
        this.clientId = new ClientID(settings.clientId());
        this.clientSecret = new Secret(settings.clientSecret());
        this.scope = new Scope(settings.scopes().toArray(String[]::new));
        this.requestParams = settings.requestParams();
        URI baseUri = settings.providerUrl().orElse(GITHUB);
        this.base = baseUri.toString().replaceAll("/+$", "");
        this.transport = requireNonNull(transport, "transport");
        this.accounts = new GitHubAccountReader(apiBase(baseUri), transport);
        this.blocking = requireNonNull(blocking, "blocking");
    }

    /** {@code https://api.github.com} for github.com; {@code {base}/api/v3} for GitHub Enterprise Server. */
    static URI apiBase(URI base) {
        if ("github.com".equalsIgnoreCase(base.getHost()) || "www.github.com".equalsIgnoreCase(base.getHost())) {
            return GITHUB_API;
        }
        return URI.create(base.toString().replaceAll("/+$", "") + "/api/v3");
    }

    @Override
    public String name() {
        return "github";
    }

    @Override
    public CompletionStage<URI> authorizationUrl(AuthorizationRequest request) {
        requireNonNull(request, "request");
        com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder builder =
                new com.nimbusds.oauth2.sdk.AuthorizationRequest.Builder(ResponseType.CODE, clientId)
                        .endpointURI(URI.create(base + "/login/oauth/authorize"))
                        .redirectionURI(request.redirectUri())
                        .scope(scope)
                        .state(new State(request.state()))
                        .codeChallenge(new CodeVerifier(request.codeVerifier()), CodeChallengeMethod.S256);
        requestParams.forEach(builder::customParameter);
        return CompletableFuture.completedFuture(builder.build().toURI());
    }

    @Override
    public CompletionStage<SignedInUser> redeem(String code, AuthorizationRequest request) {
        requireNonNull(code, "code");
        requireNonNull(request, "request");
        return BlockingCall.on(blocking, () -> accounts.read(accessToken(code, request)));
    }

    @Override
    public CompletionStage<SignedInUser> refresh(String refreshToken) {
        return CompletableFuture.failedFuture(IdentityProviderException.rejected("github does not support refresh"));
    }

    @Override
    public CompletionStage<Optional<URI>> endSessionUrl(Optional<String> idTokenHint, URI postLogoutRedirectUri,
            Optional<String> state) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<LogoutNotice> verifyLogoutToken(String logoutToken) {
        return CompletableFuture.failedFuture(
                IdentityProviderException.rejected("github does not support back-channel logout"));
    }

    private BearerAccessToken accessToken(String code, AuthorizationRequest request) {
        TokenRequest tokenRequest = new TokenRequest(URI.create(base + "/login/oauth/access_token"),
                new ClientSecretPost(clientId, clientSecret), new AuthorizationCodeGrant(new AuthorizationCode(code),
                        request.redirectUri(), new CodeVerifier(request.codeVerifier())));
        HTTPRequest http = tokenRequest.toHTTPRequest();
        http.setAccept("application/json");
        HTTPResponse response = transport.send(http, "code redemption");
        Map<String, Object> body;
        try {
            body = JSONObjectUtils.parse(response.getBody());
        } catch (ParseException e) {
            throw IdentityProviderException.rejected("code redemption failed: github answered "
                    + response.getStatusCode() + " with no JSON object");
        }
        if (body.get("error") instanceof String error) {
            throw IdentityProviderException.rejected("code redemption refused by github: " + error);
        }
        if (response.getStatusCode() != HTTPResponse.SC_OK || !(body.get("access_token") instanceof String token)
                || token.isEmpty()) {
            throw IdentityProviderException.rejected("code redemption failed: github answered "
                    + response.getStatusCode() + " without an access token");
        }
        return new BearerAccessToken(token);
    }
}
