package dev.portcullis.proxy.route;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * The host a request is for, from {@code Host} (HTTP/1.1) or {@code :authority} (HTTP/2): a
 * lower-case name without a trailing dot, and the port when the header names one.
 */
public record RequestHost(String name, OptionalInt port) {

    /**
     * Decides the host of a request from everything in it that names one, so that routing, policy
     * and the upstream all see the same host. Refused (RFC 9112 §3.2, RFC 9113 §8.3.1):
     * <ul>
     *   <li>HTTP/1.x: no {@code Host}, more than one {@code Host} field line (even with equal values),
     *       or one that is empty, carries userinfo, or is otherwise not {@code name[:port]};</li>
     *   <li>HTTP/2: a {@code host} field that names another host than {@code :authority} (Netty
     *       hands {@code :authority} on as the first {@code Host} value);</li>
     *   <li>an absolute-form target ({@code http://a.example/x}) whose authority names another host
     *       than {@code Host}. RFC 9112 §3.2.2 lets the authority win; a reverse proxy refuses
     *       instead, since a request that names two hosts is a request that two servers may route
     *       two ways.</li>
     * </ul>
     *
     * @param hostFields every {@code Host} value of the request, in order
     * @param rawTarget  the request target as received
     * @param http2      whether the request came over HTTP/2
     * @throws UnusableHostException saying which rule the request breaks
     */
    public static RequestHost ofRequest(List<String> hostFields, String rawTarget, boolean http2)
            throws UnusableHostException {
        if (hostFields.isEmpty()) {
            throw new UnusableHostException("no Host");
        }
        if (!http2 && hostFields.size() > 1) {
            throw new UnusableHostException(hostFields.size() + " Host fields (expected: one)");
        }
        RequestHost host = parse(hostFields.get(0));
        if (host == null) {
            throw new UnusableHostException("Host is not name[:port]");
        }
        for (String other : hostFields.subList(1, hostFields.size())) {
            if (!host.equals(parse(other))) {
                throw new UnusableHostException("host names another host than :authority");
            }
        }
        String authority = absoluteFormAuthority(rawTarget);
        if (authority != null && !host.equals(parse(authority))) {
            throw new UnusableHostException("the request target names another host than Host");
        }
        return host;
    }

    /**
     * The authority a {@code CONNECT} asks for: its authority-form target, {@code host:port}
     * (RFC 9110 §9.3.6, RFC 9112 §3.2.3), which {@code Host} must name as well (as {@code pomerium-cli}
     * and curl send it). Refused: a target that is not {@code host:port} (no port, a path, userinfo),
     * no {@code Host} or more than one, or a {@code Host} naming another authority.
     *
     * @throws UnusableHostException saying which rule the request breaks
     */
    public static RequestHost ofConnect(List<String> hostFields, String rawTarget) throws UnusableHostException {
        RequestHost authority = rawTarget.indexOf('/') >= 0 || rawTarget.indexOf('@') >= 0 ? null : parse(rawTarget);
        if (authority == null || authority.port().isEmpty()) {
            throw new UnusableHostException("a CONNECT target must be host:port");
        }
        RequestHost host = ofRequest(hostFields, "/", false);
        if (!host.equals(authority)) {
            throw new UnusableHostException("the CONNECT target names another authority than Host");
        }
        return authority;
    }

    /** The authority of an absolute-form target ({@code scheme://authority/...}), or null for any other form. */
    private static String absoluteFormAuthority(String rawTarget) {
        if (rawTarget.startsWith("/")) {
            return null;
        }
        int schemeEnd = rawTarget.indexOf("://");
        if (schemeEnd <= 0) {
            return null;
        }
        int start = schemeEnd + 3;
        int end = start;
        while (end < rawTarget.length() && "/?#".indexOf(rawTarget.charAt(end)) < 0) {
            end++;
        }
        return rawTarget.substring(start, end);
    }

    /** A request that does not name its host one way only. */
    public static final class UnusableHostException extends Exception {
        public UnusableHostException(String message) {
            super(message, null, false, false);
        }
    }

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
