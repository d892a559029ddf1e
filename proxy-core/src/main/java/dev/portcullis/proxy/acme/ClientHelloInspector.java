package dev.portcullis.proxy.acme;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the server name (RFC 6066 §3) and the offered ALPN protocols (RFC 7301 §3.1) out of a TLS
 * ClientHello body, as Netty's {@code SslClientHelloHandler.lookup(ctx, clientHello)} hands it over
 * (from {@code client_version} on, without record or handshake headers). The listener uses it to
 * tell an {@code acme-tls/1} validation handshake from an ordinary one. It never throws on a
 * malformed hello: it reports what it could read.
 */
public final class ClientHelloInspector {
    private static final int SERVER_NAME = 0;
    private static final int ALPN = 16;

    /** What a ClientHello asked for. */
    public record Hello(Optional<String> serverName, List<String> alpnProtocols) {
        /** True when this is a TLS-ALPN-01 validation handshake (RFC 8737 §3). */
        public boolean offersAcmeTls1() {
            return alpnProtocols.contains(ChallengeResponses.ACME_TLS_1);
        }
    }

    private ClientHelloInspector() {}

    /** Inspects {@code clientHello} between its reader and writer index, without moving them. */
    public static Hello inspect(ByteBuf clientHello) {
        Optional<String> serverName = Optional.empty();
        List<String> protocols = new ArrayList<>();
        int end = clientHello.writerIndex();
        int at = clientHello.readerIndex() + 2 + 32; // client_version, random
        try {
            at += 1 + clientHello.getUnsignedByte(at); // session_id
            at += 2 + clientHello.getUnsignedShort(at); // cipher_suites
            at += 1 + clientHello.getUnsignedByte(at); // compression_methods
            if (at + 2 > end) {
                return new Hello(serverName, protocols);
            }
            int extensionsEnd = Math.min(end, at + 2 + clientHello.getUnsignedShort(at));
            at += 2;
            while (at + 4 <= extensionsEnd) {
                int type = clientHello.getUnsignedShort(at);
                int length = clientHello.getUnsignedShort(at + 2);
                int data = at + 4;
                if (data + length > extensionsEnd) {
                    break;
                }
                if (type == SERVER_NAME) {
                    serverName = serverName(clientHello, data, data + length);
                } else if (type == ALPN) {
                    protocols = protocols(clientHello, data, data + length);
                }
                at = data + length;
            }
        } catch (IndexOutOfBoundsException truncated) {
            // A truncated hello: report what was read before the end.
        }
        return new Hello(serverName, List.copyOf(protocols));
    }

    private static Optional<String> serverName(ByteBuf hello, int at, int end) {
        int listEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
        at += 2;
        while (at + 3 <= listEnd) {
            int nameType = hello.getUnsignedByte(at);
            int length = hello.getUnsignedShort(at + 1);
            if (at + 3 + length > listEnd) {
                break;
            }
            if (nameType == 0) { // host_name
                return Optional.of(hello.toString(at + 3, length, StandardCharsets.US_ASCII));
            }
            at += 3 + length;
        }
        return Optional.empty();
    }

    private static List<String> protocols(ByteBuf hello, int at, int end) {
        List<String> protocols = new ArrayList<>();
        int listEnd = Math.min(end, at + 2 + hello.getUnsignedShort(at));
        at += 2;
        while (at + 1 <= listEnd) {
            int length = hello.getUnsignedByte(at);
            if (length == 0 || at + 1 + length > listEnd) {
                break;
            }
            protocols.add(hello.toString(at + 1, length, StandardCharsets.US_ASCII));
            at += 1 + length;
        }
        return protocols;
    }
}
