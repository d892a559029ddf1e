package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

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
}
