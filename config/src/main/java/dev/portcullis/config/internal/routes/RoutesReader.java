package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.source.GuidePlaceholders;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.internal.value.ValueText;
import dev.portcullis.config.route.JwtIssuerFormat;
import dev.portcullis.config.route.Route;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads every route: the entries of {@code policy} first, then those of {@code routes}, each from the
 * environment ({@code POLICY}, {@code ROUTES}) when set there, else from the file.
 */
public final class RoutesReader {

    private final ValueReaders readers;
    private final Duration defaultTimeout;
    private final boolean passIdentityHeaders;
    private final JwtIssuerFormat jwtIssuerFormat;
    private final boolean forwardAuth;
    private final Optional<String> certificateAuthority;
    private final RouteListDecoder decoder;

    /**
     * @param defaultTimeout      {@code default_upstream_timeout}: a route's timeout when it sets none
     * @param passIdentityHeaders the global {@code pass_identity_headers}: a route's when it sets none
     * @param jwtIssuerFormat     the global {@code jwt_issuer_format}: a route's when it sets none
     * @param forwardAuth         whether {@code forward_auth_url} is set: a route may then have none of
     *                            {@code to}, {@code redirect} or {@code response}
     * @param certificateAuthority the top-level {@code certificate_authority[_file]} PEM: roots every https upstream
     *                            without a {@code tls_custom_ca} trusts besides the system's
     */
    public RoutesReader(ValueReaders readers, Duration defaultTimeout, boolean passIdentityHeaders,
            JwtIssuerFormat jwtIssuerFormat, boolean forwardAuth, Optional<String> certificateAuthority) {
        this.readers = readers;
        this.certificateAuthority = certificateAuthority;
        this.defaultTimeout = defaultTimeout;
        this.passIdentityHeaders = passIdentityHeaders;
        this.jwtIssuerFormat = jwtIssuerFormat;
        this.forwardAuth = forwardAuth;
        this.decoder = new RouteListDecoder(readers.diagnostics());
    }

    /** The valid routes, in order; the problems of the others are in the diagnostics. */
    public List<Route> read(SettingMap top) {
        List<Setting> entries = Stream.of("policy", "routes")
                .flatMap(key -> top.get(key).stream())
                .flatMap(list -> decoder.entries(list).stream())
                .flatMap(List::stream)
                .toList();
        RouteReader reader = new RouteReader(readers, defaultTimeout, passIdentityHeaders, jwtIssuerFormat, forwardAuth,
                certificateAuthority, new RouteNames(explicitNames(entries)));
        GuidePlaceholders placeholders = new GuidePlaceholders(readers.diagnostics());
        entries.forEach(placeholders::warnAbout);
        List<Route> routes = entries.stream().flatMap(entry -> reader.read(entry).stream()).toList();
        new RoutesThatServeNoOne(readers.diagnostics()).warnAbout(routes);
        return routes;
    }

    private List<String> explicitNames(List<Setting> entries) {
        List<String> names = entries.stream()
                .map(Setting::value)
                .filter(Map.class::isInstance)
                .flatMap(route -> Optional.ofNullable(((Map<?, ?>) route).get("name")).stream())
                .flatMap(name -> ValueText.scalar(name).stream())
                .toList();
        Set<String> seen = new HashSet<>();
        names.stream().filter(n -> !seen.add(n)).distinct().forEach(n ->
                readers.diagnostics().warning("route name \"" + n + "\" is given to more than one route"));
        return names;
    }
}
