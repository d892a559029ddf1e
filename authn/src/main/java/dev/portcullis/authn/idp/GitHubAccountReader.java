package dev.portcullis.authn.idp;

import static java.util.Objects.requireNonNull;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.JSONArrayUtils;
import com.nimbusds.oauth2.sdk.util.JSONObjectUtils;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads who a GitHub access token belongs to from the REST API (api version 2022-11-28):
 * <ul>
 *   <li>{@code GET /user}: {@code userId} is the numeric {@code id} (stable across renames),
 *       {@code name} is {@code name} or else {@code login};</li>
 *   <li>{@code GET /user/emails}: the email that is both primary and verified; none is
 *       {@code REJECTED} ("no verified primary email"), since a policy may trust the email;</li>
 *   <li>{@code GET /user/teams}, every page ({@code Link: rel="next"}): each team gives two groups,
 *       its slug ({@code developers}) and its slug under its organization ({@code acme/developers}),
 *       so policies can name teams with or without the organization.</li>
 * </ul>
 * Claims are {@code sub} (the id), {@code login}, {@code name}, {@code email} and
 * {@code email_verified}. Blocking: call from the blocking executor.
 */
final class GitHubAccountReader {

    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final int MAX_PAGES = 50;

    private final String api;
    private final ProviderTransport transport;

    GitHubAccountReader(URI api, ProviderTransport transport) {
        this.api = api.toString().replaceAll("/+$", "");
        this.transport = requireNonNull(transport, "transport");
    }

    SignedInUser read(BearerAccessToken token) {
        Map<String, Object> user = object(get(URI.create(api + "/user"), token), "/user");
        if (!(user.get("id") instanceof Number id) || !(user.get("login") instanceof String login)) {
            throw IdentityProviderException.rejected("github /user has no id or login");
        }
        String userId = Long.toString(id.longValue());
        String name = user.get("name") instanceof String full && !full.isBlank() ? full : login;
        String email = primaryVerifiedEmail(token);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("sub", userId);
        claims.put("login", login);
        claims.put("name", name);
        claims.put("email", email);
        claims.put("email_verified", true);
        return new SignedInUser(userId, email, name, List.copyOf(teams(token)), claims, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(token.getValue()));
    }

    private String primaryVerifiedEmail(BearerAccessToken token) {
        for (Object entry : array(get(URI.create(api + "/user/emails"), token), "/user/emails")) {
            if (entry instanceof Map<?, ?> email && Boolean.TRUE.equals(email.get("primary"))
                    && Boolean.TRUE.equals(email.get("verified")) && email.get("email") instanceof String address) {
                return address;
            }
        }
        throw IdentityProviderException.rejected("github account has no verified primary email");
    }

    private Set<String> teams(BearerAccessToken token) {
        Set<String> groups = new LinkedHashSet<>();
        URI page = URI.create(api + "/user/teams?per_page=100");
        for (int pages = 0; page != null; pages++) {
            if (pages == MAX_PAGES) {
                throw IdentityProviderException.rejected("github /user/teams has more than " + MAX_PAGES + " pages");
            }
            HTTPResponse response = get(page, token);
            for (Object entry : array(response, "/user/teams")) {
                if (entry instanceof Map<?, ?> team && team.get("slug") instanceof String slug) {
                    groups.add(slug);
                    if (team.get("organization") instanceof Map<?, ?> org && org.get("login") instanceof String owner) {
                        groups.add(owner + "/" + slug);
                    }
                }
            }
            page = next(response.getHeaderValue("Link"));
        }
        return groups;
    }

    // The token goes only to the API we were configured with.
    private URI next(String link) {
        if (link == null) {
            return null;
        }
        Matcher matcher = NEXT_LINK.matcher(link);
        if (!matcher.find()) {
            return null;
        }
        String next = matcher.group(1);
        if (!next.startsWith(api + "/")) {
            throw IdentityProviderException.rejected("github next page link leaves " + api);
        }
        return URI.create(next);
    }

    private HTTPResponse get(URI uri, BearerAccessToken token) {
        HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, uri);
        request.setAuthorization(token.toAuthorizationHeader());
        request.setAccept("application/vnd.github+json");
        request.setHeader("X-GitHub-Api-Version", "2022-11-28");
        request.setHeader("User-Agent", ProviderTransport.USER_AGENT);
        HTTPResponse response = transport.send(request, "github " + uri.getPath());
        if (response.getStatusCode() != HTTPResponse.SC_OK) {
            throw IdentityProviderException.rejected("github " + uri.getPath() + " answered " + response.getStatusCode());
        }
        return response;
    }

    private static Map<String, Object> object(HTTPResponse response, String what) {
        try {
            return JSONObjectUtils.parse(response.getBody());
        } catch (ParseException e) {
            throw IdentityProviderException.rejected("github " + what + " answered with no JSON object");
        }
    }

    private static List<Object> array(HTTPResponse response, String what) {
        try {
            return JSONArrayUtils.parse(response.getBody());
        } catch (ParseException e) {
            throw IdentityProviderException.rejected("github " + what + " answered with no JSON array");
        }
    }
}
