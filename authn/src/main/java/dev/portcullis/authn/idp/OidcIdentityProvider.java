package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.LogoutRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import java.net.URI;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * An OpenID Connect provider found by discovery: authorization code flow with PKCE (S256), ID token
 * validation, userinfo for the claims the ID token lacks, refresh, RP-initiated and back-channel
 * logout. The presets {@code oidc}, {@code google}, {@code azure}, {@code gitlab}, {@code okta},
 * {@code auth0}, {@code cognito}, {@code onelogin} and {@code ping} are all this class with their own
 * defaults; they differ only in where groups come from ({@link GroupSource}).
 */
final class OidcIdentityProvider implements IdentityProvider {

    private final String name;
    private final ClientID clientId;
    private final Scope scope;
    private final Map<String, String> requestParams;
    private final GroupSource groupSource;
    private final Executor blocking;
    private final Clock clock;
    private final DiscoveryCache discovery;
    private final TokenRedemption tokens;
    private final UserInfoReader userInfo;
    private final IdTokenVerifier idTokens;
    private final LogoutTokenVerifier logoutTokens;

    /**
     * @param settings    the resolved settings: provider URL present, scopes and parameters final
     */
    OidcIdentityProvider(ProviderSettings settings, GroupSource groupSource, ProviderTransport transport,
            Executor blocking, Clock clock) {
        this.name = settings.provider();
        this.clientId = new ClientID(settings.clientId());
        this.scope = new Scope(settings.scopes().toArray(String[]::new));
        this.requestParams = settings.requestParams();
        this.groupSource = requireNonNull(groupSource, "groupSource");
        this.blocking = requireNonNull(blocking, "blocking");
        this.clock = requireNonNull(clock, "clock");
        URI issuer = settings.providerUrl().orElseThrow(() -> new IllegalArgumentException("providerUrl: absent"));
        this.discovery = new DiscoveryCache(issuer, transport, clock);
        this.tokens = new TokenRedemption(clientId, new Secret(settings.clientSecret()), transport);
        this.userInfo = new UserInfoReader(transport);
        this.idTokens = new IdTokenVerifier(clientId);
        this.logoutTokens = new LogoutTokenVerifier(clientId, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletionStage<URI> authorizationUrl(AuthorizationRequest request) {
        requireNonNull(request, "request");
        return BlockingCall.on(blocking, () -> {
            URI endpoint = discovery.get().metadata().getAuthorizationEndpointURI();
            if (endpoint == null) {
                throw IdentityProviderException.unavailable("discovery lists no authorization_endpoint");
            }
            AuthenticationRequest.Builder builder = new AuthenticationRequest.Builder(
                    ResponseType.CODE, scope, clientId, request.redirectUri())
                    .endpointURI(endpoint)
                    .state(new State(request.state()))
                    .nonce(new Nonce(request.nonce()))
                    .codeChallenge(new CodeVerifier(request.codeVerifier()), CodeChallengeMethod.S256);
            requestParams.forEach(builder::customParameter);
            return builder.build().toURI();
        });
    }

    @Override
    public CompletionStage<SignedInUser> redeem(String code, AuthorizationRequest request) {
        requireNonNull(code, "code");
        requireNonNull(request, "request");
        return BlockingCall.on(blocking, () -> {
            DiscoveredProvider provider = discovery.get();
            OIDCTokens answer = tokens.redeem(provider, new AuthorizationCodeGrant(new AuthorizationCode(code),
                    request.redirectUri(), new CodeVerifier(request.codeVerifier())), "code redemption");
            if (answer.getIDToken() == null) {
                throw IdentityProviderException.rejected("the identity provider returned no ID token");
            }
            JWTClaimsSet idToken = idTokens.verify(provider, answer.getIDToken(),
                    Optional.of(new Nonce(request.nonce())));
            return signedIn(provider, answer, Optional.of(idToken), false, Optional.empty());
        });
    }

    /**
     * {@inheritDoc} A new ID token is validated without a nonce (OpenID Connect Core 1.0 §12.2); the
     * caller should check that {@code userId} did not change. Userinfo is read whenever the provider
     * has the endpoint. When the provider returns no ID token, {@code idToken} and
     * {@code providerSessionId} are empty and the caller keeps the ones it has.
     */
    @Override
    public CompletionStage<SignedInUser> refresh(String refreshToken) {
        requireNonNull(refreshToken, "refreshToken");
        return BlockingCall.on(blocking, () -> {
            DiscoveredProvider provider = discovery.get();
            OIDCTokens answer = tokens.redeem(provider, new RefreshTokenGrant(new RefreshToken(refreshToken)),
                    "refresh");
            Optional<JWTClaimsSet> idToken = Optional.ofNullable(answer.getIDToken())
                    .map(token -> idTokens.verify(provider, token, Optional.empty()));
            if (idToken.isEmpty() && provider.metadata().getUserInfoEndpointURI() == null) {
                throw IdentityProviderException.rejected(
                        "the identity provider returned neither an ID token nor a userinfo endpoint on refresh");
            }
            return signedIn(provider, answer, idToken, true, Optional.of(refreshToken));
        });
    }

    @Override
    public CompletionStage<Optional<URI>> endSessionUrl(Optional<String> idTokenHint, URI postLogoutRedirectUri,
            Optional<String> state) {
        requireNonNull(idTokenHint, "idTokenHint");
        requireNonNull(postLogoutRedirectUri, "postLogoutRedirectUri");
        return BlockingCall.on(blocking, () -> {
            URI endpoint = discovery.get().metadata().getEndSessionEndpointURI();
            if (endpoint == null) {
                return Optional.empty();
            }
            JWT hint = idTokenHint.flatMap(OidcIdentityProvider::parseJwt).orElse(null);
            return Optional.of(new LogoutRequest(endpoint, hint, null, clientId, postLogoutRedirectUri,
                    state.map(State::new).orElse(null), null).toURI());
        });
    }

    @Override
    public CompletionStage<LogoutNotice> verifyLogoutToken(String logoutToken) {
        requireNonNull(logoutToken, "logoutToken");
        return BlockingCall.on(blocking, () -> logoutTokens.verify(discovery.get(), logoutToken));
    }

    private SignedInUser signedIn(DiscoveredProvider provider, OIDCTokens answer, Optional<JWTClaimsSet> idToken,
            boolean rereadUserInfo, Optional<String> previousRefreshToken) {
        IdentityClaims claims = IdentityClaims.of(idToken.map(JWTClaimsSet::toJSONObject).orElse(Map.of()));
        URI userInfoEndpoint = provider.metadata().getUserInfoEndpointURI();
        if (userInfoEndpoint != null && (rereadUserInfo || claims.lacksProfile())) {
            Optional<Map<String, Object>> info = userInfo.read(userInfoEndpoint, answer.getAccessToken());
            if (info.isPresent()) {
                claims = claims.withUserInfo(info.get());
            }
        }
        String userId = claims.subject();
        long lifetime = answer.getAccessToken().getLifetime();
        Optional<Instant> expiresAt = lifetime > 0
                ? Optional.of(clock.instant().plusSeconds(lifetime))
                : idToken.map(JWTClaimsSet::getExpirationTime).map(java.util.Date::toInstant);
        Optional<String> sessionId = idToken.map(token -> token.getClaim("sid"))
                .filter(String.class::isInstance).map(String.class::cast);
        return new SignedInUser(userId, claims.email(), claims.name(), groupSource.groups(claims,
                answer.getAccessToken()), claims.asMap(), Optional.ofNullable(answer.getIDTokenString()),
                Optional.ofNullable(answer.getRefreshToken()).map(RefreshToken::getValue).or(() -> previousRefreshToken),
                expiresAt, sessionId, Optional.ofNullable(answer.getAccessToken()).map(token -> token.getValue()));
    }

    private static Optional<JWT> parseJwt(String token) {
        try {
            return Optional.of(JWTParser.parse(token));
        } catch (ParseException e) {
            return Optional.empty();
        }
    }
}
