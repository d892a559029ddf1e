package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.CollectionReader;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.HeaderRules;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code set_request_headers}, {@code remove_request_headers} and {@code set_response_headers}. */
final class HeaderRulesReader {

    private final CollectionReader collections;
    private final Diagnostics diagnostics;

    HeaderRulesReader(ValueReaders readers) {
        this.collections = readers.collections();
        this.diagnostics = readers.diagnostics();
    }

    Optional<HeaderRules> read(SettingMap route) {
        int before = diagnostics.problemCount();
        Map<String, String> setRequest = route.get("set_request_headers").flatMap(collections::stringMap).orElse(Map.of());
        List<String> removeRequest = route.get("remove_request_headers").flatMap(collections::list).orElse(List.of());
        Map<String, String> setResponse = route.get("set_response_headers").flatMap(collections::stringMap).orElse(Map.of());
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new HeaderRules(setRequest, removeRequest, setResponse));
    }
}
