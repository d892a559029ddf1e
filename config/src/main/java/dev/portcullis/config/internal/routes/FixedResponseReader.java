package dev.portcullis.config.internal.routes;

import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.source.UnknownKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.RouteAction;
import java.util.Map;
import java.util.Optional;

/** Reads {@code response:} {@code {status, body}}: answer with this status (required) and text body. */
final class FixedResponseReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    FixedResponseReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    Optional<RouteAction.FixedResponse> read(Setting response) {
        Optional<Map<String, Object>> map = readers.collections().map(response);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        SettingMap r = SettingMap.ofYaml(response.at(), map.get());
        UnknownKeys unknown = new UnknownKeys(diagnostics);
        r.keys().forEach(k -> unknown.check(OptionScope.ROUTE, "response", r.at(), k));
        int before = diagnostics.problemCount();
        if (!r.has("status")) {
            diagnostics.problem(r.at().key("status"), "is required (e.g. status: 200)");
        }
        Optional<Integer> status = r.get("status").flatMap(s -> readers.scalars().integer(s, 200, 599));
        String body = r.get("body").flatMap(readers.scalars()::text).orElse("");
        if (diagnostics.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new RouteAction.FixedResponse(status.orElseThrow(), body));
    }
}
