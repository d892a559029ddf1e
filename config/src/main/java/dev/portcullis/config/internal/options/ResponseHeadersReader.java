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
 * Unset, they are Pomerium's defaults: {@code X-Frame-Options: SAMEORIGIN}, {@code X-XSS-Protection: 1; mode=block}
 * and {@code Strict-Transport-Security: max-age=31536000; includeSubDomains; preload}. Set, they replace the
 * defaults entirely (a map without {@code Strict-Transport-Security} turns HSTS off); {@code disable} (or
 * {@code {disable: true}}) means none.
 *
 * <p>The proxy drops {@code Strict-Transport-Security} from responses it does not serve over TLS
 * (RFC 6797 §7.2: a host must not send it over plain HTTP), so with {@code insecure_server} the header is not
 * sent by the proxy; a front that ends TLS may add its own.
 */
final class ResponseHeadersReader {

    /** Pomerium's defaults. */
    static final Map<String, String> DEFAULTS = Map.of(
            "X-Frame-Options", "SAMEORIGIN",
            "X-XSS-Protection", "1; mode=block",
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains; preload");

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
