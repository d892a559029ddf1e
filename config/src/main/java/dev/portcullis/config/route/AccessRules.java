package dev.portcullis.config.route;

import java.util.List;
import java.util.Map;

/**
 * Who may use a route, as written in the configuration. The policy module compiles it.
 *
 * @param allowPublicUnauthenticatedAccess anyone, signed in or not
 * @param allowAnyAuthenticatedUser        anyone signed in
 * @param corsAllowPreflight               let CORS preflight requests through unauthenticated
 * @param allowedUsers                     legacy list: user ids or emails
 * @param allowedDomains                   legacy list: email domains
 * @param allowedGroups                    legacy list: groups
 * @param allowedIdpClaims                 legacy map: claim name to accepted values
 * @param policy                           the route's {@code policy:} (PPL) as parsed YAML: a map, a list, or null
 */
public record AccessRules(
        boolean allowPublicUnauthenticatedAccess,
        boolean allowAnyAuthenticatedUser,
        boolean corsAllowPreflight,
        List<String> allowedUsers,
        List<String> allowedDomains,
        List<String> allowedGroups,
        Map<String, List<String>> allowedIdpClaims,
        Object policy) {
    public AccessRules {
        allowedUsers = List.copyOf(allowedUsers);
        allowedDomains = List.copyOf(allowedDomains);
        allowedGroups = List.copyOf(allowedGroups);
        allowedIdpClaims = Map.copyOf(allowedIdpClaims);
    }

    /** Public access, nothing else. */
    public static AccessRules publicAccess() {
        return new AccessRules(true, false, false, List.of(), List.of(), List.of(), Map.of(), null);
    }
}
