package dev.portcullis.proxy.transport;

/**
 * Names of the handlers in the downstream and upstream pipelines, in one place, so that a
 * handler can be inserted before or after another by name (see reactor-netty's NettyPipeline).
 */
public final class HandlerNames {
    public static final String CONNECTION_IDLE = "connectionIdle";
    public static final String PROXY_PROTOCOL = "proxyProtocol";
    public static final String PROXY_PROTOCOL_SOURCE = "proxyProtocolSource";
    public static final String SNI = "sni";
    public static final String TLS = "tls";
    public static final String CLIENT_CERTIFICATE = "clientCertificate";
    public static final String ALPN = "alpn";
    public static final String CLEARTEXT_PROTOCOL = "cleartextProtocol";
    public static final String REQUEST_HEAD_DEADLINE = "requestHeadDeadline";
    public static final String HTTP_CODEC = "httpCodec";
    public static final String REQUEST_HEAD_RECEIVED = "requestHeadReceived";
    public static final String HTTP2_FRAME_DEADLINE = "http2FrameDeadline";
    public static final String HTTP2_CODEC = "http2Codec";
    public static final String HTTP2_MULTIPLEX = "http2Multiplex";
    public static final String HTTP2_STREAM_CODEC = "http2StreamCodec";
    public static final String EXPECT_CONTINUE = "expectContinue";
    public static final String TRUST_BOUNDARY = "trustBoundary";
    public static final String PROXY = "proxy";
    public static final String HTTPS_REDIRECT = "httpsRedirect";

    public static final String UPSTREAM_TLS = "upstreamTls";
    public static final String UPSTREAM_CODEC = "upstreamCodec";
    public static final String UPSTREAM_POOL_IDLE = "upstreamPoolIdle";
    public static final String UPSTREAM_RELAY = "upstreamRelay";
    public static final String BYTE_RELAY = "byteRelay";
    public static final String TUNNEL_IDLE = "tunnelIdle";
    public static final String TUNNEL_IDLE_CLOSER = "tunnelIdleCloser";

    private HandlerNames() {}
}
