package dev.portcullis.config.internal.routes;

import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import dev.portcullis.config.route.RouteAction;
import java.util.List;
import java.util.Optional;

/**
 * Reads what a route does: exactly one of {@code to}, {@code redirect} or {@code response}. With
 * {@code forward_auth_url} set, none is allowed too: the route is {@link RouteAction.ForwardAuthOnly}.
 */
final class ActionReader {

    private static final List<String> ACTIONS = List.of("to", "redirect", "response");

    private final Diagnostics diagnostics;
    private final boolean forwardAuth;
    private final UpstreamsReader upstreams;
    private final RedirectReader redirects;
    private final FixedResponseReader responses;
    private final LoadBalancingReader loadBalancing;

    /** @param forwardAuth whether {@code forward_auth_url} is set, so that a route may have no action */
    ActionReader(ValueReaders readers, boolean forwardAuth) {
        this.diagnostics = readers.diagnostics();
        this.forwardAuth = forwardAuth;
        this.upstreams = new UpstreamsReader(diagnostics);
        this.redirects = new RedirectReader(readers);
        this.responses = new FixedResponseReader(readers);
        this.loadBalancing = new LoadBalancingReader(readers);
    }

    /** @param tcpRoute whether {@code from} is a TCP route's ({@code tcp+https://host:port}), which only forwards */
    Optional<? extends RouteAction> read(SettingMap route, boolean tcpRoute) {
        List<String> set = ACTIONS.stream().filter(route::has).toList();
        if (tcpRoute && !set.equals(List.of("to"))) {
            diagnostics.problem(route.at(), "a TCP route (from: tcp+https://host:port) needs to: tcp://host:port"
                    + (set.isEmpty() ? "" : " and nothing else (found " + String.join(" and ", set) + ")"));
            return Optional.empty();
        }
        if (set.isEmpty() && forwardAuth) {
            return Optional.of(new RouteAction.ForwardAuthOnly());
        }
        if (set.isEmpty()) {
            diagnostics.problem(route.at(), "exactly one of to, redirect or response is required"
                    + " (or set forward_auth_url to use this route through forward-auth only)");
            return Optional.empty();
        }
        if (set.size() > 1) {
            String found = " (found " + String.join(" and ", set) + ")";
            diagnostics.problem(route.at(), forwardAuth
                    ? "set at most one of to, redirect or response" + found
                    : "exactly one of to, redirect or response is required" + found);
            return Optional.empty();
        }
        return switch (set.get(0)) {
            case "to" -> route.get("to").flatMap(to -> upstreams.read(to, tcpRoute)).flatMap(forward -> loadBalancing
                    .read(route).map(policy -> new RouteAction.Forward(forward.endpoints(), policy)));
            case "redirect" -> route.get("redirect").flatMap(redirects::read);
            default -> route.get("response").flatMap(responses::read);
        };
    }
}
