package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.UserInfoSuccessResponse;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the UserInfo endpoint (OpenID Connect Core 1.0 §5.3) with the access token. A plain JSON
 * answer yields its claims; a signed or encrypted (JWT) answer yields none, since this reader does
 * not verify it. An error answer is {@code REJECTED}; a network failure or 5xx {@code UNAVAILABLE}.
 */
final class UserInfoReader {

    private final ProviderTransport transport;

    UserInfoReader(ProviderTransport transport) {
        this.transport = requireNonNull(transport, "transport");
    }

    /** The userinfo claims, or empty when the answer was a JWT. */
    Optional<Map<String, Object>> read(URI endpoint, AccessToken accessToken) {
        BearerAccessToken bearer = new BearerAccessToken(accessToken.getValue());
        HTTPResponse response = transport.send(new UserInfoRequest(endpoint, bearer).toHTTPRequest(), "userinfo");
        UserInfoResponse answer;
        try {
            answer = UserInfoResponse.parse(response);
        } catch (ParseException e) {
            throw IdentityProviderException.rejected("userinfo failed: the endpoint answered "
                    + response.getStatusCode() + " with no valid userinfo response");
        }
        if (answer instanceof UserInfoErrorResponse error) {
            String code = error.getErrorObject() == null || error.getErrorObject().getCode() == null
                    ? String.valueOf(response.getStatusCode()) : error.getErrorObject().getCode();
            throw IdentityProviderException.rejected("userinfo refused by the identity provider: " + code);
        }
        UserInfoSuccessResponse success = (UserInfoSuccessResponse) answer;
        return Optional.ofNullable(success.getUserInfo()).map(info -> info.toJSONObject());
    }
}
