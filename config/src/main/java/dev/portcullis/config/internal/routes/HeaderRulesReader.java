package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.CollectionReader;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.HeaderRules;
import dev.portcullis.config.route.HeaderTemplate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code set_request_headers}, {@code remove_request_headers} and {@code set_response_headers}. A
 * {@code set_request_headers} value that names a substitution Pomerium does not fill in ({@code $5},
 * {@code ${pomerium.idtoken}}) loads, as in Pomerium, and becomes empty there; it is warned about.
 */
final class HeaderRulesReader {

    private final CollectionReader collections;
    private final Diagnostics diagnostics;

    HeaderRulesReader(ValueReaders readers) {
        this.collections = readers.collections();
        this.diagnostics = readers.diagnostics();
    }

    Optional<HeaderRules> read(SettingMap route) {
        int before = diagnostics.problemCount();
        Optional<Setting> setting = route.get("set_request_headers");
        Map<String, String> setRequest = setting.flatMap(collections::stringMap).orElse(Map.of());
        setting.ifPresent(s -> setRequest.forEach((name, value) -> warnAboutUnknownSubstitutions(s.at().key(name), value)));
        List<String> removeRequest = route.get("remove_request_headers").flatMap(collections::list).orElse(List.of());
        Map<String, String> setResponse = route.get("set_response_headers").flatMap(collections::stringMap).orElse(Map.of());
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new HeaderRules(setRequest, removeRequest, setResponse));
    }

    private void warnAboutUnknownSubstitutions(ConfigPath at, String value) {
        for (List<String> reference : HeaderTemplate.references(value)) {
            if (!HeaderTemplate.isPomeriumValue(reference)) {
                diagnostics.warning(at + ": ${" + String.join(".", reference) + "} is not one of Pomerium's substitutions"
                        + " and becomes empty (write $$ for a literal $; known: ${pomerium.id_token},"
                        + " ${pomerium.access_token}, ${pomerium.jwt}, ${pomerium.client_cert_fingerprint},"
                        + " ${pomerium.client_cert_san_dns}, ${pomerium.client_cert_san_email},"
                        + " ${pomerium.request.headers[\"Name\"]})");
            }
        }
    }
}
