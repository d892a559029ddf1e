package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Azure (Entra ID) groups. They come in the ID token's {@code groups} claim, unless the user is in
 * more groups than a token holds: then the token carries {@code _claim_names} naming {@code groups}
 * (or {@code hasgroups: true}) and the groups are read from Microsoft Graph,
 * {@code GET /v1.0/me/transitiveMemberOf/microsoft.graph.group?$select=id,displayName} with the access
 * token, following {@code @odata.nextLink}; the groups are the group object ids, as in the claim.
 *
 * <p>Fails closed: when Graph cannot be read (network, error answer, a next link off the Graph host,
 * more than {@value #MAX_PAGES} pages), sign-in is {@code REJECTED} rather than continuing with no
 * groups, since a policy may deny by group.
 */
final class AzureGroupOverage implements GroupSource {

    static final URI MICROSOFT_GRAPH = URI.create("https://graph.microsoft.com");
    private static final int MAX_PAGES = 100;

    private final URI graph;
    private final ProviderTransport transport;

    /** @param graph the Graph base URL: {@link #MICROSOFT_GRAPH}, or a stand-in in tests */
    AzureGroupOverage(URI graph, ProviderTransport transport) {
        this.graph = requireNonNull(graph, "graph");
        this.transport = requireNonNull(transport, "transport");
    }

    @Override
    public List<String> groups(IdentityClaims claims, AccessToken accessToken) {
        if (!overage(claims)) {
            return claims.groups();
        }
        try {
            return readGraph(accessToken);
        } catch (IdentityProviderException e) {
            throw IdentityProviderException.rejected(
                    "the groups could not be read from Microsoft Graph (" + e.getMessage() + ")");
        }
    }

    static boolean overage(IdentityClaims claims) {
        return claims.get("_claim_names") instanceof Map<?, ?> names && names.containsKey("groups")
                || Boolean.TRUE.equals(claims.get("hasgroups"));
    }

    private List<String> readGraph(AccessToken accessToken) {
        String base = graph.toString().replaceAll("/+$", "");
        URI page = URI.create(base + "/v1.0/me/transitiveMemberOf/microsoft.graph.group?$select=id,displayName");
        List<String> groups = new ArrayList<>();
        for (int pages = 0; page != null; pages++) {
            if (pages == MAX_PAGES) {
                throw IdentityProviderException.rejected("more than " + MAX_PAGES + " pages of groups");
            }
            Map<String, Object> body = get(page, accessToken);
            if (!(body.get("value") instanceof List<?> values)) {
                throw IdentityProviderException.rejected("the answer has no value list");
            }
            for (Object value : values) {
                if (value instanceof Map<?, ?> group && group.get("id") instanceof String id) {
                    groups.add(id);
                }
            }
            page = next(body.get("@odata.nextLink"), base);
        }
        return List.copyOf(groups);
    }

    private Map<String, Object> get(URI page, AccessToken accessToken) {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, page);
        request.setAuthorization(accessToken.toAuthorizationHeader());
        request.setAccept("application/json");
        HTTPResponse response = transport.send(request, "Microsoft Graph");
        if (response.getStatusCode() != HTTPResponse.SC_OK) {
            throw IdentityProviderException.rejected("Graph answered " + response.getStatusCode());
        }
        try {
            return JSONObjectUtils.parse(response.getBody());
        } catch (com.nimbusds.oauth2.sdk.ParseException e) {
            throw IdentityProviderException.rejected("Graph answered with no JSON object");
        }
    }

    // The access token goes only to the Graph host we were configured with.
    private static URI next(Object link, String base) {
        if (link == null) {
            return null;
        }
        if (!(link instanceof String next) || !next.startsWith(base + "/")) {
            throw IdentityProviderException.rejected("the next page link leaves " + base);
        }
        return URI.create(next);
    }
}
