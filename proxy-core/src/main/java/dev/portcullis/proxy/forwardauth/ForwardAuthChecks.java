package dev.portcullis.proxy.forwardauth;

import dev.portcullis.proxy.http.ForwardedFacts;
import dev.portcullis.proxy.http.RequestMethod;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.route.RequestHost;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads what a front proxy asks on the {@code forward_auth_url} host (or, with the client's {@code Host},
 * on a host whose routes only answer checks: {@link #readOnRouteHost}): {@code /verify} or {@code /},
 * about the URL in {@code ?uri=}, or else the one its forwarded headers describe
 * ({@code X-Forwarded-Proto} + {@code X-Forwarded-Host} + {@code X-Forwarded-Uri}, as Traefik and
 * Caddy send them, or nginx's {@code X-Original-Url}) — headers believed only from peers that
 * {@code xff_num_trusted_hops} trusts. The URL's path and query go through {@link RequestTarget#parse},
 * exactly as a proxied request's target, and the method ({@code X-Forwarded-Method}) through
 * {@link RequestMethod#parse}: what either refuses is refused here (400), never checked in another form.
 *
 * <p>Every URL is read as bytes, one character per byte, so that non-ASCII paths are judged by the
 * same rules. A {@code uri} that starts with {@code http://} or {@code https://} is taken as written
 * (front proxies do not encode it); any other is percent-decoded once (see {@link #parameter}).
 *
 * <p>The {@code uri} parameter is ignored when the check's query is the client's own (a front proxy
 * such as Caddy appends it, and {@code X-Forwarded-Uri} shows the same query), and refused when it
 * names another host than a trusted {@code X-Forwarded-Host}: a client must not choose what is
 * checked. A {@code uri} that is present but not a usable URL is refused, not replaced by the headers.
 *
 * <p>One exception: a sign-in hand-off (a URL whose canonical path is {@code /.pomerium/callback/})
 * is looked for in {@code X-Forwarded-Uri} whether that header is believed or not. The hand-off
 * proves itself (sealed, single-use, naming its host), and without it Traefik set up as in its guide
 * (a fixed {@code ?uri=}) could never complete a sign-in. Only the canonical callback path counts, so
 * {@code /.pomerium/callback/../../public} cannot replace the URL being checked.
 */
public final class ForwardAuthChecks {
    static final String URI_PARAMETER = "uri";
    private static final List<String> CALLBACK_PATHS = List.of("/.pomerium/callback/", "/.pomerium/callback");

    private final RequestHost host;

    /** @param forwardAuthUrl {@code forward_auth_url}, when set */
    public ForwardAuthChecks(Optional<URI> forwardAuthUrl) {
        this.host = forwardAuthUrl.map(url -> RequestHost.parse(url.getRawAuthority())).orElse(null);
    }

    /** The forward-auth host, when {@code forward_auth_url} is set. */
    public Optional<RequestHost> host() {
        return Optional.ofNullable(host);
    }

    /** Whether {@code path} is one of the checks ({@code /verify}, {@code /}); anything else on the host is not found. */
    public boolean isCheck(String path) {
        return mode(path).isPresent();
    }

    /**
     * The checked request, or empty when the check names no usable URL or method, or one that could
     * be read two ways (the caller answers 400), or names an endpoint that does not exist (see {@link #mode}).
     */
    public Optional<CheckedRequest> read(RequestTarget check, String checkMethod, ForwardedFacts forwarded) {
        return read(check, checkMethod, forwarded, () -> checkedUrl(check, forwarded));
    }

    /**
     * A check sent to a route's own {@code host} rather than to the forward-auth host, as Caddy's
     * {@code forward_auth} does (it keeps the client's {@code Host}): the checked URL is the one the
     * believed forwarded headers describe ({@code ?uri=} is ignored, since there the query is the
     * client's own), and it must be on that same host. Empty as for {@link #read}.
     */
    public Optional<CheckedRequest> readOnRouteHost(RequestHost host, RequestTarget check, String checkMethod,
            ForwardedFacts forwarded) {
        return read(check, checkMethod, forwarded,
                () -> forwardedUrl(forwarded).filter(url -> url.host().name().equals(host.name())));
    }

    private Optional<CheckedRequest> read(RequestTarget check, String checkMethod, ForwardedFacts forwarded,
            UrlSource source) {
        Optional<CheckMode> mode = mode(check.path());
        if (mode.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<CheckedUrl> url = source.url();
            if (url.isEmpty()) {
                return Optional.empty();
            }
            Optional<RequestTarget> handoff = handoff(forwarded);
            RequestTarget target = handoff.isPresent() ? handoff.get() : RequestTarget.parse(url.get().pathAndQuery());
            String method = forwarded.method().isPresent() ? RequestMethod.parse(forwarded.method().get()).name() : checkMethod;
            return Optional.of(new CheckedRequest(mode.get(), url.get().host(), target, method));
        } catch (RequestTarget.InvalidRequestTargetException | RequestMethod.InvalidRequestMethodException e) {
            return Optional.empty();
        }
    }

    /** Where a check's URL comes from. */
    @FunctionalInterface
    private interface UrlSource {
        Optional<CheckedUrl> url() throws RequestTarget.InvalidRequestTargetException;
    }

    private static Optional<CheckMode> mode(String path) {
        return switch (path) {
            case "/verify" -> Optional.of(CheckMode.VERIFY);
            case "/" -> Optional.of(CheckMode.SIGN_IN);
            default -> Optional.empty();
        };
    }

    /** The URL asked about: {@code ?uri=}, else the forwarded headers, else {@code X-Original-Url}. */
    private static Optional<CheckedUrl> checkedUrl(RequestTarget check, ForwardedFacts forwarded)
            throws RequestTarget.InvalidRequestTargetException {
        Optional<String> parameter = isClientsQuery(check, forwarded) ? Optional.empty() : parameter(check, URI_PARAMETER);
        if (parameter.isPresent()) {
            return CheckedUrl.parse(parameter.get()).filter(url -> sameHost(url, forwarded.host()));
        }
        return forwardedUrl(forwarded);
    }

    /**
     * The URL the believed forwarded headers describe: {@code X-Forwarded-Proto/-Host/-Uri}, else
     * {@code X-Original-Url}.
     */
    private static Optional<CheckedUrl> forwardedUrl(ForwardedFacts forwarded) {
        if (forwarded.host().isPresent() && forwarded.uri().isPresent()) {
            return fromForwardedHeaders(forwarded);
        }
        return forwarded.originalUrl().flatMap(CheckedUrl::parse);
    }

    /** The claimed {@code X-Forwarded-Uri}, when its canonical path is the sign-in callback. */
    private static Optional<RequestTarget> handoff(ForwardedFacts forwarded) {
        if (forwarded.claimedUri().isEmpty()) {
            return Optional.empty();
        }
        try {
            RequestTarget claimed = RequestTarget.parse(forwarded.claimedUri().get());
            return CALLBACK_PATHS.contains(claimed.path()) ? Optional.of(claimed) : Optional.empty();
        } catch (RequestTarget.InvalidRequestTargetException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the check's query is the client's own: some front proxies (Caddy's
     * {@code forward_auth}) append the client's query to the check, which would let a client name
     * the URL to check with {@code ?uri=}. {@code X-Forwarded-Uri} carrying the same query shows it;
     * a claimed query that cannot be read counts as the client's, so it cannot choose either.
     */
    private static boolean isClientsQuery(RequestTarget check, ForwardedFacts forwarded) {
        if (check.query().isEmpty()) {
            return false;
        }
        return forwarded.claimedUri().map(uri -> {
            int question = uri.indexOf('?');
            if (question < 0) {
                return false;
            }
            try {
                return RequestTarget.parse("/" + uri.substring(question)).query().equals(check.query());
            } catch (RequestTarget.InvalidRequestTargetException e) {
                return true;
            }
        }).orElse(false);
    }

    /** A {@code uri} naming another host than the one a trusted front proxy says the client asked for is refused. */
    private static boolean sameHost(CheckedUrl url, Optional<String> forwardedHost) {
        if (forwardedHost.isEmpty()) {
            return true;
        }
        RequestHost forwarded = RequestHost.parse(forwardedHost.get());
        return forwarded != null && url.host().name().equals(forwarded.name());
    }

    /**
     * The URL from {@code X-Forwarded-Proto}, {@code -Host} and {@code -Uri}, each read on its own:
     * a host is only a host (a {@code /} or {@code ?} in it is refused), and the URI is a request
     * target as a request line would carry it (origin or absolute form).
     */
    private static Optional<CheckedUrl> fromForwardedHeaders(ForwardedFacts forwarded) {
        String scheme = forwarded.proto().orElse("https").toLowerCase(Locale.ROOT);
        RequestHost checkedHost = RequestHost.parse(forwarded.host().get());
        if (!(scheme.equals("http") || scheme.equals("https")) || checkedHost == null) {
            return Optional.empty();
        }
        return Optional.of(new CheckedUrl(checkedHost, forwarded.uri().get()));
    }

    /**
     * The first {@code uri} parameter, as the URL it names. A value that starts with {@code http://} or
     * {@code https://} is that URL as the front proxy wrote it (nginx's
     * {@code ?uri=$scheme://$http_host$request_uri}, Caddy's {@code {uri}} and Traefik's fixed
     * {@code ?uri=} are not encoded), so its escapes are the client's own and are not decoded here:
     * decoding them would let a client's {@code %23} or {@code %3F} end the path early. Any other value
     * is an encoded URL ({@code https%3A%2F%2F…}) and is percent-decoded once, into bytes (one character
     * each). The choice depends on the value's first characters, which the front proxy's
     * configuration writes, never the client.
     */
    private static Optional<String> parameter(RequestTarget target, String name) throws RequestTarget.InvalidRequestTargetException {
        for (String pair : target.query().orElse("").split("&", -1)) {
            int equals = pair.indexOf('=');
            if (!decode(equals >= 0 ? pair.substring(0, equals) : pair).equals(name)) {
                continue;
            }
            String value = equals >= 0 ? pair.substring(equals + 1) : "";
            return Optional.of(startsWithHttpScheme(value) ? value : decode(value));
        }
        return Optional.empty();
    }

    private static boolean startsWithHttpScheme(String value) {
        return value.regionMatches(true, 0, "http://", 0, 7) || value.regionMatches(true, 0, "https://", 0, 8);
    }

    private static String decode(String component) throws RequestTarget.InvalidRequestTargetException {
        try {
            return QueryStringDecoder.decodeComponent(component, StandardCharsets.ISO_8859_1);
        } catch (IllegalArgumentException e) {
            throw new RequestTarget.InvalidRequestTargetException("the check's query has a malformed escape");
        }
    }

    /**
     * An absolute {@code http(s)} URL split into its host and its request target, without
     * interpreting the path (that is {@link RequestTarget#parse}'s job, byte for byte).
     */
    private record CheckedUrl(RequestHost host, String pathAndQuery) {
        static Optional<CheckedUrl> parse(String text) {
            int schemeEnd = text.indexOf("://");
            if (schemeEnd <= 0) {
                return Optional.empty();
            }
            String scheme = text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https"))) {
                return Optional.empty();
            }
            int authorityEnd = schemeEnd + 3;
            while (authorityEnd < text.length() && "/?#".indexOf(text.charAt(authorityEnd)) < 0) {
                authorityEnd++;
            }
            // RequestHost refuses user information ("@"), spaces and anything else that is not a host.
            RequestHost checkedHost = RequestHost.parse(text.substring(schemeEnd + 3, authorityEnd));
            if (checkedHost == null) {
                return Optional.empty();
            }
            String rest = text.substring(authorityEnd);
            return Optional.of(new CheckedUrl(checkedHost, rest.startsWith("/") ? rest : "/" + rest));
        }
    }
}
