package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.RouteAction;
import java.util.List;
import java.util.Optional;

/** Reads what a route does: exactly one of {@code to}, {@code redirect} or {@code response}. */
final class ActionReader {

    private static final List<String> ACTIONS = List.of("to", "redirect", "response");

    private final Diagnostics diagnostics;
    private final UpstreamsReader upstreams;
    private final RedirectReader redirects;
    private final FixedResponseReader responses;

    ActionReader(ValueReaders readers) {
        this.diagnostics = readers.diagnostics();
        this.upstreams = new UpstreamsReader(diagnostics);
        this.redirects = new RedirectReader(readers);
        this.responses = new FixedResponseReader(readers);
    }

    Optional<? extends RouteAction> read(SettingMap route) {
        List<String> set = ACTIONS.stream().filter(route::has).toList();
        if (set.size() != 1) {
            String found = set.isEmpty() ? "" : " (found " + String.join(" and ", set) + ")";
            diagnostics.problem(route.at(), "exactly one of to, redirect or response is required" + found);
            return Optional.empty();
        }
        return switch (set.get(0)) {
            case "to" -> route.get("to").flatMap(upstreams::read);
            case "redirect" -> route.get("redirect").flatMap(redirects::read);
            default -> route.get("response").flatMap(responses::read);
        };
    }
}
