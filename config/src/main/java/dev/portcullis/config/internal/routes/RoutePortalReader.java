package dev.portcullis.config.internal.routes;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.RoutePortal;
import java.util.Optional;

/**
 * Reads a route's {@code description} and {@code logo_url}, shown in the routes portal. A logo whose
 * URL is not {@code https:}, {@code http:} or {@code data:image/} is left out with a warning: the portal
 * never puts another scheme ({@code javascript:} …) into an {@code <img src>}.
 */
final class RoutePortalReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    RoutePortalReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    RoutePortal read(SettingMap route) {
        Optional<String> description = route.get("description").flatMap(readers.scalars()::text)
                .map(String::strip).filter(text -> !text.isEmpty());
        Optional<String> logo = route.get("logo_url").flatMap(this::logoUrl);
        return new RoutePortal(description, logo);
    }

    private Optional<String> logoUrl(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return text;
        }
        if (RoutePortal.isImageUrl(text.get())) {
            return text;
        }
        diagnostics.warning(s.at() + ": " + quote(text.get()) + " is not an https:, http: or data:image/ URL; the"
                + " routes portal shows this route without a logo");
        return Optional.empty();
    }
}
