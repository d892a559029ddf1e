package dev.portcullis.proxy.forwardauth;

import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.route.RequestHost;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads what a front proxy asks on the {@code forward_auth_url} host: {@code /verify} or {@code /},
 * about the URL in {@code ?uri=}, or else the one its forwarded headers describe
 * ({@code X-Forwarded-Proto} + {@code X-Forwarded-Host} + {@code X-Forwarded-Uri}, as Traefik and
 * Caddy send them, or nginx's {@code X-Original-Url}) — headers believed only from peers that
 * {@code xff_num_trusted_hops} trusts. The URL's path is normalised exactly as a proxied request's.
 *
 * <p>The {@code uri} parameter is ignored when the check's query is the client's own (a front proxy
 * such as Caddy appends it, and {@code X-Forwarded-Uri} shows the same query), and refused when it
 * names another host than a trusted {@code X-Forwarded-Host}: a client must not choose what is
 * checked.
 *
 * <p>One exception: a sign-in hand-off ({@code /.pomerium/callback/…}) is looked for in
 * {@code X-Forwarded-Uri} whether that header is believed or not. The hand-off proves itself
 * (sealed, single-use, naming its host), and without it Traefik set up as in its guide (a fixed
 * {@code ?uri=}) could never complete a sign-in.
 */
public final class ForwardAuthChecks {
    static final String URI_PARAMETER = "uri";
    private static final String CALLBACK_PREFIX = "/.pomerium/callback";
    private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");

    private final RequestHost host;

    /** @param forwardAuthUrl {@code forward_auth_url}, when set */
    public ForwardAuthChecks(Optional<URI> forwardAuthUrl) {
        this.host = forwardAuthUrl.map(url -> RequestHost.parse(url.getRawAuthority())).orElse(null);
    }

    /** Whether {@code requestHost} is the forward-auth host (ports compared when both name one). */
    public boolean isHost(RequestHost requestHost) {
        if (host == null || !host.name().equals(requestHost.name())) {
            return false;
        }
        return host.port().isEmpty() || requestHost.port().isEmpty() || host.port().equals(requestHost.port());
    }

    /**
     * The checked request, or empty when the check names no usable URL (the caller answers 400),
     * or names an endpoint that does not exist (see {@link #mode}).
     */
    public Optional<CheckedRequest> read(RequestTarget check, String checkMethod, ForwardedFacts forwarded) {
        Optional<CheckMode> mode = mode(check.path());
        if (mode.isEmpty()) {
            return Optional.empty();
        }
        Optional<URI> fromParameter = parameter(check, URI_PARAMETER).filter(p -> !isClientsQuery(check, forwarded))
                .flatMap(ForwardAuthChecks::absolute);
        if (fromParameter.isPresent() && !sameHost(fromParameter.get(), forwarded.host())) {
            return Optional.empty();
        }
        Optional<URI> url = fromParameter
                .or(() -> fromForwardedHeaders(forwarded))
                .or(() -> forwarded.originalUrl().flatMap(ForwardAuthChecks::absolute));
        if (url.isEmpty()) {
            return Optional.empty();
        }
        URI checked = url.get();
        String pathAndQuery = rawPathAndQuery(checked);
        Optional<String> handoff = forwarded.claimedUri().filter(uri -> uri.startsWith(CALLBACK_PREFIX));
        if (handoff.isPresent()) {
            pathAndQuery = handoff.get();
        }
        RequestHost checkedHost = RequestHost.parse(checked.getRawAuthority());
        if (checkedHost == null) {
            return Optional.empty();
        }
        try {
            RequestTarget target = RequestTarget.parse(pathAndQuery);
            String method = forwarded.method().map(m -> m.toUpperCase(Locale.ROOT)).filter(m -> METHOD.matcher(m).matches())
                    .orElse(checkMethod);
            return Optional.of(new CheckedRequest(mode.get(), checkedHost, target, method));
        } catch (RequestTarget.InvalidRequestTargetException e) {
            return Optional.empty();
        }
    }

    /** {@code /verify} or {@code /}; anything else on the forward-auth host is not found. */
    public static Optional<CheckMode> mode(String path) {
        return switch (path) {
            case "/verify" -> Optional.of(CheckMode.VERIFY);
            case "/" -> Optional.of(CheckMode.SIGN_IN);
            default -> Optional.empty();
        };
    }

    /**
     * Whether the check's query is the client's own: some front proxies (Caddy's
     * {@code forward_auth}) append the client's query to the check, which would let a client name
     * the URL to check with {@code ?uri=}. {@code X-Forwarded-Uri} carrying the same query shows it.
     */
    private static boolean isClientsQuery(RequestTarget check, ForwardedFacts forwarded) {
        return forwarded.claimedUri().map(uri -> {
            int question = uri.indexOf('?');
            return question >= 0 && check.query().isPresent() && uri.substring(question + 1).equals(check.query().get());
        }).orElse(false);
    }

    /** A {@code uri} naming another host than the one a trusted front proxy says the client asked for is refused. */
    private static boolean sameHost(URI url, Optional<String> forwardedHost) {
        if (forwardedHost.isEmpty()) {
            return true;
        }
        RequestHost named = RequestHost.parse(url.getRawAuthority());
        RequestHost forwarded = RequestHost.parse(forwardedHost.get());
        return named != null && forwarded != null && named.name().equals(forwarded.name());
    }

    private static Optional<URI> fromForwardedHeaders(ForwardedFacts forwarded) {
        if (forwarded.host().isEmpty() || forwarded.uri().isEmpty()) {
            return Optional.empty();
        }
        String scheme = forwarded.proto().orElse("https");
        String uri = forwarded.uri().get();
        return absolute(scheme + "://" + forwarded.host().get() + (uri.startsWith("/") ? uri : "/" + uri));
    }

    private static Optional<String> parameter(RequestTarget target, String name) {
        List<String> values = new QueryStringDecoder(target.query().orElse(""), StandardCharsets.UTF_8, false)
                .parameters().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** An absolute http(s) URL with a host; the fragment, if any, is dropped. */
    private static Optional<URI> absolute(String text) {
        int hash = text.indexOf('#');
        String withoutFragment = hash >= 0 ? text.substring(0, hash) : text;
        try {
            URI uri = new URI(withoutFragment);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getRawAuthority() == null
                    || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String rawPathAndQuery(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
