package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.PercentEncoded;
import dev.portcullis.config.storage.ServerAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The parts every connection string (Redis's, PostgreSQL's) is read the same way: a {@code host[:port]} (an IPv6
 * address in brackets), the query's parameters, a percent-encoded part. Each problem goes to {@code problems},
 * naming the part, never its value where that could be a password.
 */
final class ConnectionUrl {
    private final String example;
    private final Consumer<String> problems;

    /**
     * @param example  added to a problem about a missing host, e.g. {@code " (expected e.g. redis://redis:6379/0)"}
     * @param problems told each problem, as a sentence after the option's path
     */
    ConnectionUrl(String example, Consumer<String> problems) {
        this.example = example;
        this.problems = problems;
    }

    Optional<ServerAddress> address(String text, int defaultPort) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            host = close < 0 ? "" : text.substring(1, close);
            String after = close < 0 ? "" : text.substring(close + 1);
            if (close < 0 || !(after.isEmpty() || after.startsWith(":")) || !host.matches("[0-9A-Fa-f:.]+")) {
                problems.accept("host " + quote(text) + " is not an IPv6 address in brackets (expected e.g. [::1]:6379)");
                return Optional.empty();
            }
            port = after.isEmpty() ? "" : after.substring(1);
        } else {
            int colon = text.indexOf(':');
            if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
                problems.accept("host " + quote(text) + " looks like an IPv6 address: put it in brackets ([::1]:6379)");
                return Optional.empty();
            }
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? "" : text.substring(colon + 1);
            if (!host.matches("[A-Za-z0-9._-]+")) {
                problems.accept(host.isEmpty() ? "names no host" + example : "host " + quote(host) + " is not a host name or address");
                return Optional.empty();
            }
        }
        if (port.isEmpty()) {
            return Optional.of(new ServerAddress(host, defaultPort));
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            problems.accept("port " + quote(port) + " of " + host + " is not a port (expected 1 to 65535)");
            return Optional.empty();
        }
        return Optional.of(new ServerAddress(host, Integer.parseInt(port)));
    }

    /** The query's parameters, decoded as a form ({@code +} is a space), as Go's {@code url.Values}; first wins. */
    Map<String, String> parameters(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("[&;]")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = pair.substring(0, equals < 0 ? pair.length() : equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            Optional<String> decodedName = decode(name.replace('+', ' '), "a query parameter's name");
            Optional<String> decodedValue = decode(value.replace('+', ' '), "a query parameter");
            if (decodedName.isPresent() && decodedValue.isPresent()) {
                parameters.putIfAbsent(decodedName.get(), decodedValue.get());
            }
        }
        return parameters;
    }

    /** {@code text} with its {@code %XX} escapes decoded as UTF-8; {@code what} names it in a problem, never its value. */
    Optional<String> decode(String text, String what) {
        try {
            return Optional.of(PercentEncoded.decode(text));
        } catch (IllegalArgumentException e) {
            problems.accept(what + " " + e.getMessage());
            return Optional.empty();
        }
    }
}
