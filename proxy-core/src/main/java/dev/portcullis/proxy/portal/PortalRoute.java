package dev.portcullis.proxy.portal;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One route in the routes portal.
 *
 * @param id          a stable opaque id (Pomerium's portal has one too)
 * @param name        the route's {@code name}, or the name derived from its {@code from}
 * @param url         where the link leads: the route's scheme and host (the port the browser used, unless
 *                    {@code from} names one) and its {@code path} or {@code prefix}
 * @param description {@code description}
 * @param logoUrl     {@code logo_url}, an https, http or data:image URL
 */
public record PortalRoute(String id, String name, String url, Optional<String> description, Optional<String> logoUrl) {
    public PortalRoute {
        requireNonNull(id, "id");
        requireNonNull(name, "name");
        requireNonNull(url, "url");
        requireNonNull(description, "description");
        requireNonNull(logoUrl, "logoUrl");
    }

    /**
     * The fields of Pomerium's portal route ({@code proxy/portal.Route}): {@code id}, {@code name},
     * {@code type} ({@code http}), {@code from} (here the link), {@code description} and {@code logo_url}
     * ({@code ""} when unset).
     */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", id);
        json.put("name", name);
        json.put("type", "http");
        json.put("from", url);
        json.put("description", description.orElse(""));
        json.put("logo_url", logoUrl.orElse(""));
        return json;
    }
}
