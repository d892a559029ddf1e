package dev.portcullis.proxy.server;

import java.net.InetSocketAddress;

/** Parses listener addresses as Pomerium writes them: {@code :443}, {@code 0.0.0.0:8080}, {@code [::1]:443}, {@code localhost:0}. */
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
}
