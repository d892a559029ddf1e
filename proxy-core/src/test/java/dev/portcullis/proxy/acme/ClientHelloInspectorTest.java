package dev.portcullis.proxy.acme;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;

/** Against ClientHellos the JDK's own TLS client writes. */
class ClientHelloInspectorTest {
    @Test
    void readsTheServerNameAndTheOfferedProtocols() throws Exception {
        ByteBuf hello = clientHello(Optional.of("App.Example.com"), List.of("acme-tls/1"));
        try {
            ClientHelloInspector.Hello inspected = ClientHelloInspector.inspect(hello);
            assertThat(inspected.serverName()).contains("App.Example.com");
            assertThat(inspected.alpnProtocols()).containsExactly("acme-tls/1");
            assertThat(inspected.offersAcmeTls1()).isTrue();
            assertThat(hello.readerIndex()).isZero();
        } finally {
            hello.release();
        }
    }

    @Test
    void anOrdinaryHelloIsNoValidationHandshake() throws Exception {
        ByteBuf hello = clientHello(Optional.of("app.example.com"), List.of("h2", "http/1.1"));
        try {
            assertThat(ClientHelloInspector.inspect(hello).alpnProtocols()).containsExactly("h2", "http/1.1");
            assertThat(ClientHelloInspector.inspect(hello).offersAcmeTls1()).isFalse();
        } finally {
            hello.release();
        }
    }

    @Test
    void aHelloWithoutExtensionsOrTruncatedReportsWhatItCouldRead() throws Exception {
        ByteBuf hello = clientHello(Optional.empty(), List.of());
        try {
            assertThat(ClientHelloInspector.inspect(hello).serverName()).isEmpty();
            assertThat(ClientHelloInspector.inspect(hello.slice(0, 60)).alpnProtocols()).isEmpty();
        } finally {
            hello.release();
        }
    }

    /** The ClientHello body (from client_version on), as Netty's SslClientHelloHandler passes it. */
    private static ByteBuf clientHello(Optional<String> serverName, List<String> protocols) throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(serverName.<List<javax.net.ssl.SNIServerName>>map(n -> List.of(new SNIHostName(n))).orElse(List.of()));
        parameters.setApplicationProtocols(protocols.toArray(String[]::new));
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        out.position(5 + 4); // TLS record header, handshake header
        return Unpooled.copiedBuffer(out);
    }
}
