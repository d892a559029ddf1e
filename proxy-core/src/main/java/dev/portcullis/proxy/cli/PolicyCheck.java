package dev.portcullis.proxy.cli;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigProblem;
import dev.portcullis.config.LoadedConfig;
import dev.portcullis.config.Options;
import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.Decision;
import dev.portcullis.policy.Identity;
import dev.portcullis.proxy.http.RequestTarget;
import dev.portcullis.proxy.route.RequestHost;
import dev.portcullis.proxy.route.RouteEntry;
import dev.portcullis.proxy.route.RouteTable;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code portcullis check}: which route a URL takes and what its policy decides for a given
 * person, without a browser. The first line is {@code allow} or {@code deny} alone; then the
 * route, the outcome, the reason words and the explanation. The configuration's warnings (unknown keys,
 * routes that let no one in …) go to standard error first. Exit codes: 0 allow, 3 deny, 2 a
 * configuration or usage error.
 */
final class PolicyCheck {
    static final int ALLOW = 0;
    static final int DENY = 3;
    static final int ERROR = 2;

    private PolicyCheck() {}

    static int run(PolicyCheckArguments arguments, Map<String, String> environment, Clock clock, PrintStream out,
            PrintStream err) {
        Options options;
        try {
            LoadedConfig loaded = CommandLoaders.forValidate(environment).load(arguments.configFile());
            // unknown keys and routes that let no one in are often why the answer surprises
            loaded.warnings().forEach(w -> err.println("warning: " + w));
            options = loaded.options();
        } catch (ConfigException e) {
            err.println("portcullis: the configuration has " + e.problems().size() + " problem(s):");
            e.problems().stream().map(ConfigProblem::toString).forEach(p -> err.println("  " + p));
            return ERROR;
        }
        URI url = arguments.url();
        RequestHost host = RequestHost.parse(url.getRawAuthority());
        RequestTarget target;
        try {
            String rawPath = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            // A command-line URL is text; the request line it stands for is its UTF-8 bytes.
            target = RequestTarget.parse(new String(rawPath.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1));
        } catch (RequestTarget.InvalidRequestTargetException e) {
            err.println("portcullis: --url " + url + ": " + e.getMessage());
            return ERROR;
        }
        if (host == null) {
            err.println("portcullis: --url " + url + " has no usable host");
            return ERROR;
        }
        Optional<RouteEntry> entry = RouteTable.of(options.routes(), options.server().downstreamMtls()).resolve(host, target.path());
        if (entry.isEmpty()) {
            out.println("deny");
            out.println("route: none (no route matches " + host.authority() + target.path() + "; the proxy answers 404)");
            return DENY;
        }
        AccessRequest request = new AccessRequest(arguments.identity(), arguments.method(), target.path(),
                arguments.sourceIp(), arguments.time().orElseGet(clock::instant), arguments.corsPreflight(),
                Optional.empty(), false);
        Decision decision = entry.get().route().access().compiled().evaluate(request);
        out.println(decision.allowed() ? "allow" : "deny");
        out.println("route: " + entry.get().route().name() + " (" + entry.get().route().yamlPath() + ")");
        out.println("as: " + arguments.identity().map(PolicyCheck::describe).orElse("anonymous")
                + ", " + arguments.method() + " " + target.path() + ", from " + arguments.sourceIp());
        out.println("outcome: " + decision.outcome());
        out.println("reasons: " + String.join(", ", decision.reasons()));
        out.println(decision.explanation());
        return decision.allowed() ? ALLOW : DENY;
    }

    private static String describe(Identity identity) {
        StringBuilder who = new StringBuilder();
        who.append(identity.email() != null ? identity.email() : "user " + identity.userId());
        if (!identity.groups().isEmpty()) {
            who.append(" in ").append(String.join(", ", identity.groups()));
        }
        return who.toString();
    }

    /** The check's command line. */
    record PolicyCheckArguments(Optional<java.nio.file.Path> configFile, URI url, Optional<Identity> identity,
            String method, String sourceIp, Optional<Instant> time, boolean corsPreflight) {}
}
