package dev.portcullis.config.internal.options;

import dev.portcullis.config.Options.MetricsOptions;
import dev.portcullis.config.internal.value.Base64Text;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads {@code metrics_address} (a listen address) and {@code metrics_basic_auth} (base64 of
 * {@code user:pass}, as Pomerium takes it). The credentials are checked here, so a typo is a
 * configuration error rather than a scraper that can never get in; they are never quoted back.
 */
final class MetricsOptionsReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    MetricsOptionsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    MetricsOptions read(SettingMap top) {
        Optional<String> address = top.get("metrics_address").flatMap(readers.scalars()::address);
        Optional<String> basicAuth = top.get("metrics_basic_auth").flatMap(this::credentials);
        if (basicAuth.isPresent() && !top.has("metrics_address")) {
            diagnostics.warning("metrics_basic_auth is set but metrics_address is not, so no metrics listener runs;"
                    + " set metrics_address (e.g. :9090) to serve /metrics");
        }
        return new MetricsOptions(address, basicAuth);
    }

    private Optional<String> credentials(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip).filter(t -> !t.isEmpty());
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> decoded = Base64Text.decode(text.get()).flatMap(MetricsOptionsReader::utf8);
        if (decoded.isEmpty() || decoded.get().indexOf(':') <= 0) {
            diagnostics.problem(s.at(), "is not base64 of user:pass (expected e.g. the output of"
                    + " `printf 'prometheus:a-long-password' | base64`; the value is not shown)");
            return Optional.empty();
        }
        return decoded;
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
