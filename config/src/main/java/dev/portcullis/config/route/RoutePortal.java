package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.Optional;

/**
 * How a route shows in the routes portal ({@code /.pomerium/routes}), beside its {@code name}.
 *
 * @param description {@code description}: a line of text about the application
 * @param logoUrl     {@code logo_url}: an {@code https:}, {@code http:} or {@code data:image/} URL of its logo
 */
public record RoutePortal(Optional<String> description, Optional<String> logoUrl) {

    /** Neither a description nor a logo. */
    public static final RoutePortal NONE = new RoutePortal(Optional.empty(), Optional.empty());

    public RoutePortal {
        requireNonNull(description, "description");
        requireNonNull(logoUrl, "logoUrl");
    }

    /**
     * Whether {@code url} may be an image's source on the portal page: {@code https:} or {@code http:} without
     * spaces or control characters, or an inline {@code data:image/} URL. Never {@code javascript:} or another
     * scheme.
     */
    public static boolean isImageUrl(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (url.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
            return false;
        }
        return lower.startsWith("data:image/") || lower.startsWith("https://") || lower.startsWith("http://");
    }
}
