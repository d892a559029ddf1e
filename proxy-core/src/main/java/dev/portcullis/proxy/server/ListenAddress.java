package dev.portcullis.proxy.server;

import java.net.InetSocketAddress;

/**
 * Listener addresses as Pomerium writes them: {@code :443}, {@code 0.0.0.0:8080}, {@code [::1]:443},
 * {@code localhost:0}, parsed, and shown back the same way (not as {@code InetSocketAddress.toString}'s
 * {@code /127.0.0.1:8080}).
 */
final class ListenAddress {
    private ListenAddress() {}

    static InetSocketAddress parse(String address) {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("address: \"" + address + "\" (expected: [host]:port)");
        }
        int port = Integer.parseInt(address.substring(colon + 1));
        String host = address.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /**
     * {@code 127.0.0.1:8080}, {@code [::1]:443}, {@code localhost:8080}: host as given or as an address, and
     * port; every interface is {@code :443}, as {@code address:} writes it.
     */
    static String display(InetSocketAddress address) {
        if (address.getAddress() != null && address.getAddress().isAnyLocalAddress()) {
            return ":" + address.getPort();
        }
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
