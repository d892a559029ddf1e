package dev.portcullis.proxy.route;

import java.util.Locale;
import java.util.OptionalInt;

/**
 * The host a request is for, from {@code Host} (HTTP/1.1) or {@code :authority} (HTTP/2): a
 * lower-case name without a trailing dot, and the port when the header names one.
 */
public record RequestHost(String name, OptionalInt port) {

    /** Parses a Host header value; returns null when it is missing or malformed. */
    public static RequestHost parse(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        String value = header.trim().toLowerCase(Locale.ROOT);
        String name;
        String portText = null;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) return null;
            name = value.substring(1, close);
            if (close + 1 < value.length()) {
                if (value.charAt(close + 1) != ':') return null;
                portText = value.substring(close + 2);
            }
        } else {
            int colon = value.lastIndexOf(':');
            if (colon >= 0 && value.indexOf(':') != colon) return null;
            name = colon >= 0 ? value.substring(0, colon) : value;
            portText = colon >= 0 ? value.substring(colon + 1) : null;
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty() || !validName(name)) {
            return null;
        }
        if (portText == null) {
            return new RequestHost(name, OptionalInt.empty());
        }
        try {
            int port = Integer.parseInt(portText);
            return port > 0 && port < 65536 ? new RequestHost(name, OptionalInt.of(port)) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == ':')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether this request host is the {@code configured} one (from an {@code authenticate_service_url}
     * or {@code forward_auth_url}): the same name, and the same port when both name one.
     */
    public boolean isServedAs(RequestHost configured) {
        return configured.name.equals(name) && (configured.port.isEmpty() || port.isEmpty() || configured.port.equals(port));
    }

    /** The header form again: {@code name[:port]}, brackets for IPv6. */
    public String authority() {
        String host = name.indexOf(':') >= 0 ? "[" + name + "]" : name;
        return port.isPresent() ? host + ":" + port.getAsInt() : host;
    }
}
