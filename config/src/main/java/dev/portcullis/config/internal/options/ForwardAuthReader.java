package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.Options.ForwardAuthOptions;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.UrlText;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.Route;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code forward_auth_url} (an http(s) URL naming a host and port, nothing more) and
 * {@code forward_auth_identity_headers} (false by default), and checks that the forward-auth host is a
 * host of its own: neither the sign-in host nor a route's host, whose requests the proxy answers otherwise.
 */
final class ForwardAuthReader {

    private static final String EXPECTED = "expected the scheme and host alone, with a port when needed, e.g."
            + " https://forwardauth.example.com, or http://portcullis:80 inside a Docker network";

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    ForwardAuthReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    ForwardAuthOptions read(SettingMap top) {
        return new ForwardAuthOptions(
                top.get("forward_auth_url").flatMap(this::url),
                top.get("forward_auth_identity_headers").flatMap(readers.scalars()::bool).orElse(false));
    }

    /**
     * Reports each clash of the forward-auth host with the host of {@code authenticate_service_url} or of a
     * route's {@code from}. Hosts are compared without their ports, as route matching ignores the request's port.
     */
    void checkOwnHost(SettingMap top, ForwardAuthOptions forwardAuth, Optional<URI> authenticateServiceUrl,
            List<Route> routes) {
        Optional<Setting> setting = top.get("forward_auth_url");
        Optional<String> host = forwardAuth.url().flatMap(ForwardAuthReader::hostOf);
        if (setting.isEmpty() || host.isEmpty()) {
            return;
        }
        String own = host.get();
        String remedy = "; forward-auth needs a host of its own (e.g. https://forwardauth.example.com)";
        if (authenticateServiceUrl.flatMap(ForwardAuthReader::hostOf).filter(own::equals).isPresent()) {
            diagnostics.problem(setting.get().at(), "host " + quote(own)
                    + " is also the host of authenticate_service_url, the sign-in host" + remedy);
        }
        routes.stream().filter(r -> r.match().host().equals(own)).forEach(r ->
                diagnostics.problem(setting.get().at(), "host " + quote(own) + " is also the host of " + r.yamlPath()
                        + remedy));
    }

    private Optional<URI> url(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<UrlText> url = UrlText.parse(text.get()).filter(u -> u.isHttp() && !u.host().contains("*"));
        if (url.isEmpty()) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not an http(s) URL with a host (" + EXPECTED + ")");
            return Optional.empty();
        }
        if (!url.get().path().isEmpty() && !url.get().path().equals("/")) {
            diagnostics.problem(s.at(), quote(text.get()) + " has the path " + quote(url.get().path()) + " (" + EXPECTED
                    + "; the proxy answers its own paths, such as /verify, on that host)");
            return Optional.empty();
        }
        if (url.get().query().isPresent() || url.get().fragment().isPresent()) {
            diagnostics.problem(s.at(), quote(text.get()) + " has a query or fragment (" + EXPECTED + ")");
            return Optional.empty();
        }
        try {
            return Optional.of(new URI(text.get()));
        } catch (URISyntaxException e) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not a valid URL: " + e.getReason());
            return Optional.empty();
        }
    }

    /** The lower-case host, also for Docker names with {@code _} that {@link URI#getHost()} does not return. */
    private static Optional<String> hostOf(URI url) {
        return UrlText.parse(url.toString()).map(UrlText::host);
    }
}
