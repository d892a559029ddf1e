package dev.portcullis.config.internal.options;

import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.BooleanText;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code set_response_headers} (older name {@code headers}): the headers added to every response.
 * Unset, they are Pomerium's defaults; set, they replace the defaults; {@code disable} (or
 * {@code {disable: true}}) means none. HSTS is not among them: the server adds it when it serves TLS.
 */
final class ResponseHeadersReader {

    /** Pomerium's defaults, without HSTS. */
    static final Map<String, String> DEFAULTS =
            Map.of("X-Frame-Options", "SAMEORIGIN", "X-XSS-Protection", "1; mode=block");

    private final ValueReaders readers;

    ResponseHeadersReader(ValueReaders readers) {
        this.readers = readers;
    }

    Map<String, String> read(SettingMap top) {
        Optional<Setting> setting = new AlternativeKeys(readers.diagnostics()).choose(top, "set_response_headers", "headers");
        if (setting.isEmpty()) {
            return DEFAULTS;
        }
        if (disables(setting.get().value())) {
            return Map.of();
        }
        Optional<Map<String, String>> headers = readers.collections().stringMap(setting.get());
        if (headers.map(h -> isDisable(h.get("disable"))).orElse(false)) {
            return Map.of();
        }
        return headers.orElse(DEFAULTS);
    }

    private static boolean disables(Object value) {
        return value instanceof String text && text.strip().equalsIgnoreCase("disable");
    }

    private static boolean isDisable(String flag) {
        return flag != null && BooleanText.parse(flag).orElse(false);
    }
}
