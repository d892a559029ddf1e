package dev.portcullis.config.internal.value;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An absolute URL taken apart without {@link java.net.URI}'s host rules, which refuse Docker container
 * names with {@code _} and wildcard hosts. Host names may hold letters, digits, {@code -}, {@code _},
 * {@code .} and {@code *}; an IPv6 literal is kept without its brackets.
 *
 * @param scheme   lower case
 * @param host     lower case
 * @param port     when written
 * @param path     as written, possibly empty
 * @param query    after {@code ?}, when written
 * @param fragment after {@code #}, when written
 */
public record UrlText(String scheme, String host, OptionalInt port, String path, Optional<String> query,
        Optional<String> fragment) {

    private static final Pattern URL = Pattern.compile(
            "([A-Za-z][A-Za-z0-9+.-]*)://([^/?#@]*)(/[^?#]*)?(?:\\?([^#]*))?(?:#(.*))?");
    private static final Pattern AUTHORITY = Pattern.compile(
            "(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9*_.-]+)(?::([0-9]{1,5}))?");

    public UrlText {
        requireNonNull(scheme, "scheme");
        requireNonNull(host, "host");
        requireNonNull(port, "port");
        requireNonNull(path, "path");
        requireNonNull(query, "query");
        requireNonNull(fragment, "fragment");
    }

    /** The parts of {@code text}, or empty when it is not {@code scheme://host[:port][path][?query][#fragment]}. */
    public static Optional<UrlText> parse(String text) {
        Matcher url = URL.matcher(text.strip());
        if (!url.matches()) {
            return Optional.empty();
        }
        Matcher authority = AUTHORITY.matcher(url.group(2));
        if (!authority.matches()) {
            return Optional.empty();
        }
        OptionalInt port = OptionalInt.empty();
        if (authority.group(2) != null) {
            int p = Integer.parseInt(authority.group(2));
            if (p < 1 || p > 65535) {
                return Optional.empty();
            }
            port = OptionalInt.of(p);
        }
        String host = authority.group(1).replace("[", "").replace("]", "").toLowerCase(Locale.ROOT);
        return Optional.of(new UrlText(url.group(1).toLowerCase(Locale.ROOT), host, port, url.group(3) == null ? "" : url.group(3),
                Optional.ofNullable(url.group(4)), Optional.ofNullable(url.group(5))));
    }

    /** Whether the scheme is http or https. */
    public boolean isHttp() {
        return scheme.equals("http") || scheme.equals("https");
    }
}
