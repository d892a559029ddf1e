package dev.portcullis.proxy.server;

import static java.util.Objects.requireNonNull;

import dev.portcullis.authn.store.StoreObserver;
import dev.portcullis.authn.store.redis.RedisAutocertStore;
import dev.portcullis.config.storage.StorageOptions;
import dev.portcullis.proxy.store.SharedStore;
import dev.portcullis.proxy.transport.HandlerNames;
import dev.portcullis.proxy.transport.Transport;
import dev.portcullis.config.Options;
import dev.portcullis.proxy.access.AccessGate;
import dev.portcullis.proxy.access.ListenerClientCertificates;
import dev.portcullis.proxy.exchange.ExchangeServices;
import dev.portcullis.proxy.report.RequestReporter;
import dev.portcullis.proxy.stage.Stages;
import dev.portcullis.proxy.exchange.InFlightRequests;
import dev.portcullis.proxy.stage.ProxySnapshot;
import dev.portcullis.proxy.signin.SignInRuntime;
import dev.portcullis.proxy.signin.SignInStores;
import dev.portcullis.proxy.exchange.StepCarrier;
import dev.portcullis.proxy.log.AccessLog;
import dev.portcullis.proxy.log.LogOutput;
import dev.portcullis.proxy.metrics.MetricsServer;
import dev.portcullis.proxy.metrics.OpenConnections;
import dev.portcullis.proxy.metrics.ProxyMetrics;
import dev.portcullis.proxy.metrics.SignInEvents;
import dev.portcullis.proxy.acme.AutocertNames;
import dev.portcullis.proxy.acme.AutocertService;
import dev.portcullis.proxy.acme.AutocertStorage;
import dev.portcullis.proxy.acme.CertificateStore;
import dev.portcullis.proxy.acme.ChallengeResponses;
import dev.portcullis.proxy.acme.ChallengeType;
import dev.portcullis.proxy.acme.RedisCertificateStore;
import dev.portcullis.proxy.reload.ConfigReloader;
import dev.portcullis.proxy.tracing.Tracing;
import dev.portcullis.proxy.upstream.UpstreamConnector;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.resolver.AddressResolverGroup;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running proxy: the main listener on {@code address} (TLS, or plain HTTP with
 * {@code insecure_server}), the optional {@code http_redirect_addr} listener, the event loops,
 * the upstream connections, with {@code metrics_address} the metrics and their listener, and with the tracing
 * options the OpenTelemetry exporter (read at start; a reload does not change it). The configuration snapshot sits behind one reference, so a new
 * one can be swapped in while requests run on the old.
 */
public final class ProxyServer implements ConfigReloader.Target, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProxyServer.class);
    /** How long a command to the shared store may take before what needs it answers 503. */
    private static final Duration SHARED_STORE_TIMEOUT = Duration.ofSeconds(2);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final AddressResolverGroup<InetSocketAddress> resolver;
    private final UpstreamConnector connector;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final AtomicReference<ProxySnapshot> snapshot;
    /** Unless {@code insecure_server} (fixed for the life of the process): the certificates new connections are offered. */
    private final Optional<ServedCertificates> certificates;
    /** With {@code autocert}: the ACME challenges under way, answered on both listeners. */
    private final Optional<ChallengeResponses> challenges;
    /** With {@code autocert}: obtains and renews the certificates of every route's host. */
    private Optional<AutocertService> autocert = Optional.empty();
    private final SignInRuntime signIn;
    private final List<Channel> listeners = new ArrayList<>();
    private final InetSocketAddress address;
    private final Optional<InetSocketAddress> redirectAddress;
    private final OpenConnections connections = new OpenConnections();
    private final Optional<ProxyMetrics> metrics;
    private final Tracing tracing;
    private Optional<MetricsServer> metricsServer = Optional.empty();
    /** Where sign-in state lives, as configured at start (a reload cannot move it). */
    private final StorageOptions storage;
    /** With {@code databroker_storage_type: redis} or {@code postgres}: the connection every shared store uses. */
    private final Optional<SharedStore> sharedStore;
    /** With {@code databroker_storage_type: redis}: autocert's account, certificates, locks and HTTP-01 answers. */
    private final Optional<RedisAutocertStore> sharedAutocert;

    /**
     * @param givenStores the stores a test chose; empty: those of {@code databroker_storage_type} (memory, or the
     *                    Redis or PostgreSQL the replicas share)
     */
    private ProxyServer(Options options, Transport transport, AccessGate gate, Clock clock,
            Optional<SignInStores> givenStores) throws InterruptedException, GeneralSecurityException {
        this.metrics = options.metrics().address().map(a -> ProxyMetrics.create(BuildVersion.current(), Clock.systemUTC()));
        this.storage = options.storage();
        this.sharedStore = givenStores.isPresent() ? Optional.empty() : SharedStore.open(storage,
                metrics.map(ProxyMetrics::sessionStore).orElse(StoreObserver.NONE), SHARED_STORE_TIMEOUT);
        SignInStores stores = givenStores.orElseGet(() -> sharedStore
                .map(shared -> shared.signInStores(storage, options.cookies().expire(), options.secrets().cookieSecret(),
                        clock))
                .orElseGet(() -> SignInStores.inMemory(clock)));
        this.tracing = Tracing.start(options.tracing(), BuildVersion.current());
        this.signIn = SignInRuntime.standard(metrics.map(ProxyMetrics::signInEvents).orElse(SignInEvents.NONE), tracing,
                clock, stores);
        this.snapshot = new AtomicReference<>(ProxySnapshot.of(options, signIn, Optional.empty()));
        this.bossGroup = transport.newGroup(1, "portcullis-accept");
        this.workerGroup = transport.newGroup(Runtime.getRuntime().availableProcessors(), "portcullis-io");
        this.resolver = transport.newResolver();
        this.connector = new UpstreamConnector(transport, resolver);
        AccessLog accessLog = new AccessLog();
        RequestReporter reporter = metrics.map(accessLog::andThen).orElse(accessLog);
        StepCarrier carrier = new StepCarrier(
                new ExchangeServices(Stages.standard(gate), connector, reporter, signIn, tracing));
        Options.ServerOptions server = options.server();
        HttpPipelines pipelines = new HttpPipelines(snapshot::get, carrier, inFlight, server.timeoutRead());
        this.certificates = server.insecureServer() ? Optional.empty() : Optional.of(new ServedCertificates(listener(options)));
        this.sharedAutocert = sharedStore.flatMap(SharedStore::redis).map(redis -> new RedisAutocertStore(redis,
                storage.keyPrefix()));
        this.challenges = certificates.isPresent() && server.autocert().enabled()
                ? Optional.of(sharedAutocert.map(redis -> ChallengeResponses.shared(redis, Clock.systemUTC()))
                        .orElseGet(ChallengeResponses::new))
                : Optional.empty();
        try {
            connector.prepareTls(options.routes());
            Channel main = bind(transport, "address", ListenAddress.parse(server.address()), new DownstreamInitializer(pipelines,
                    certificates, server.timeoutIdle(), challenges, proxyProtocolDeadline(server)));
            listeners.add(main);
            this.address = (InetSocketAddress) main.localAddress();
            if (server.httpRedirectAddr().isPresent()) {
                Channel redirect = bind(transport, "http_redirect_addr", ListenAddress.parse(server.httpRedirectAddr().get()),
                        redirectInitializer(server.timeoutRead(), server.timeoutIdle()));
                listeners.add(redirect);
                this.redirectAddress = Optional.of((InetSocketAddress) redirect.localAddress());
            } else {
                this.redirectAddress = Optional.empty();
            }
            this.metricsServer = startMetrics(options.metrics());
            this.autocert = startAutocert(options);
        } catch (InterruptedException | GeneralSecurityException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("listening on {} ({}, {} transport, {} routes)", ListenAddress.display(address),
                server.insecureServer() ? "plain HTTP: TLS is expected to end in front" : "TLS",
                transport.name(), options.routes().size());
        redirectAddress.ifPresent(a -> log.info("redirecting plain HTTP on {} to https", ListenAddress.display(a)));
        PageToOpen.of(options.routes(), address).ifPresent(url -> log.info("open {} in a browser", url));
        metricsServer.ifPresent(m -> log.info("serving Prometheus metrics on http://{}/metrics", ListenAddress.display(m.address())));
        options.tracing().tracesEndpoint().ifPresent(t -> log.info("exporting traces to {} (sampling {} of new traces)",
                t, options.tracing().sampleRate()));
    }

    /**
     * With {@code autocert}: starts obtaining certificates for the names of {@code options}, in the
     * background; until they arrive the configured (or a generated) certificate is served. The
     * challenge is HTTP-01 when {@code http_redirect_addr} listens (port 80 is then meant to be
     * reachable, while the TLS port is often remapped, e.g. where a NAS keeps 443 for itself), else
     * TLS-ALPN-01 on the TLS listener. With {@code databroker_storage_type: redis} the account and the
     * certificates are kept in Redis, shared with the other replicas, instead of {@code autocert_dir}.
     */
    private Optional<AutocertService> startAutocert(Options options) {
        if (challenges.isEmpty()) {
            return Optional.empty();
        }
        Set<ChallengeType> available = EnumSet.of(redirectAddress.isPresent() ? ChallengeType.HTTP_01 : ChallengeType.TLS_ALPN_01);
        AutocertStorage storage;
        try {
            storage = sharedAutocert.isPresent()
                    ? new RedisCertificateStore(sharedAutocert.get(), AutocertService.LOCK_LIFETIME, Clock.systemUTC())
                    : new CertificateStore(options.server().autocert().dir());
        } catch (IOException e) {
            throw new UncheckedIOException("autocert_dir: " + options.server().autocert().dir() + " cannot be used ("
                    + e + "): it must be a directory this process can create and write; in the container that is"
                    + " uid 65532 (on the host: chown 65532:65532 DIR, or use a named volume)", e);
        }
        if (sharedStore.isPresent() && sharedAutocert.isEmpty()) {
            log.warn("autocert: certificates are not shared through {}: each replica orders its own into autocert_dir"
                    + " (and only the one the ACME server's validation reaches can answer it); with replicas, give them"
                    + " the same certificate files or end TLS at the load balancer (docs/scale-out.md)",
                    sharedStore.get().description());
        }
        if (sharedAutocert.isPresent() && available.contains(ChallengeType.TLS_ALPN_01)) {
            log.warn("autocert: without http_redirect_addr the challenge is TLS-ALPN-01, which only the replica"
                    + " that orders can answer: the ACME server's validation must reach that replica. Listen on"
                    + " port 80 with http_redirect_addr so that any replica answers (HTTP-01)");
        }
        AutocertService service = AutocertService.create(options.server().autocert(), storage, challenges.get(),
                available, certificates.orElseThrow()::obtained);
        Set<String> names = AutocertNames.of(options);
        log.info("autocert: certificates for {} from {}, kept in {}", names, options.server().autocert().directoryUrl(),
                storage.description());
        service.update(names);
        return Optional.of(service);
    }

    /** Binds the listeners of {@code options} and starts serving. */
    public static ProxyServer start(Options options, Transport transport, AccessGate gate)
            throws InterruptedException, GeneralSecurityException {
        return start(options, transport, gate, Clock.systemUTC());
    }

    /**
     * Binds the listeners of {@code options} and starts serving, with sign-in reading the time from
     * {@code clock}: session, hand-off, attempt and ticket expiry, renewal, TOTP, throttles,
     * revocations, assertions and cookies. Not a setting: tests pass a clock they can move.
     */
    public static ProxyServer start(Options options, Transport transport, AccessGate gate, Clock clock)
            throws InterruptedException, GeneralSecurityException {
        return new ProxyServer(options, transport, gate, requireNonNull(clock, "clock"), Optional.empty());
    }

    /**
     * As {@link #start(Options, Transport, AccessGate, Clock)}, with sign-in remembering what it must
     * (revocations, redeemed hand-offs) in {@code stores}.
     */
    public static ProxyServer start(Options options, Transport transport, AccessGate gate, Clock clock,
            SignInStores stores) throws InterruptedException, GeneralSecurityException {
        return new ProxyServer(options, transport, gate, requireNonNull(clock, "clock"), Optional.of(stores));
    }

    /** @throws CannotListen when {@code at}, named by {@code option}, cannot be listened on (e.g. in use) */
    private Channel bind(Transport transport, String option, InetSocketAddress at,
            ChannelInitializer<SocketChannel> initializer) throws InterruptedException {
        ChannelFuture bound = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(counted(initializer))
                .bind(at)
                .await();
        if (!bound.isSuccess()) {
            throw CannotListen.at(option, at, bound.cause());
        }
        return bound.channel();
    }

    /** {@code initializer}, with each accepted connection counted while it is open. */
    private ChannelInitializer<SocketChannel> counted(ChannelInitializer<SocketChannel> initializer) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                connections.opened(ch);
                ch.pipeline().addLast(initializer);
            }
        };
    }

    /** With {@code metrics_address}: publishes the server's gauges and serves {@code /metrics} there. */
    private Optional<MetricsServer> startMetrics(Options.MetricsOptions options) {
        if (metrics.isEmpty() || options.address().isEmpty()) {
            return Optional.empty();
        }
        ProxyMetrics registry = metrics.get();
        registry.connectionsOpen(connections::count);
        registry.requestsInFlight(inFlight::count);
        registry.configLoaded();
        InetSocketAddress at = ListenAddress.parse(options.address().get());
        try {
            return Optional.of(MetricsServer.start(at, options.basicAuth(), registry::scrape));
        } catch (IOException e) {
            throw CannotListen.at("metrics_address", at, e);
        }
    }

    /** The redirect listener's connections, bounded like the main listener's: {@code timeout_idle}, and each head by {@code timeout_read}. */
    /**
     * With {@code use_proxy_protocol}, how long a connection to {@code address} may take to send its PROXY header:
     * {@code timeout_read}, or 10 s when that is 0, so the wait is always bounded. Not for {@code http_redirect_addr}
     * or the metrics listener.
     */
    /** The listener's settings: those of {@code options}, asking for the client certificates of every route's CA too. */
    private static Options.ServerOptions listener(Options options) {
        return options.server().withDownstreamMtls(
                ListenerClientCertificates.of(options.server().downstreamMtls(), options.routes()));
    }

    private static Optional<Duration> proxyProtocolDeadline(Options.ServerOptions server) {
        if (!server.useProxyProtocol()) {
            return Optional.empty();
        }
        return Optional.of(server.timeoutRead().isZero() ? Duration.ofSeconds(10) : server.timeoutRead());
    }

    private ChannelInitializer<SocketChannel> redirectInitializer(Duration readTimeout, Duration idleTimeout) {
        HttpsRedirectHandler handler = new HttpsRedirectHandler(challenges);
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (!idleTimeout.isZero()) {
                    ch.pipeline().addLast(HandlerNames.CONNECTION_IDLE, new IdleStateHandler(
                            0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS) {
                        @Override
                        protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
                            ctx.close();
                        }
                    });
                }
                RequestHeadDeadline headDeadline = readTimeout.isZero() ? null : new RequestHeadDeadline(readTimeout);
                if (headDeadline != null) {
                    ch.pipeline().addLast(HandlerNames.REQUEST_HEAD_DEADLINE, headDeadline.bytesWatcher());
                }
                ch.pipeline().addLast(HandlerNames.HTTP_CODEC, new HttpServerCodec());
                if (headDeadline != null) {
                    ch.pipeline().addLast(HandlerNames.REQUEST_HEAD_RECEIVED, headDeadline.headWatcher());
                }
                ch.pipeline().addLast(new HttpObjectAggregator(8192));
                ch.pipeline().addLast(HandlerNames.HTTPS_REDIRECT, handler);
            }
        };
    }

    /** The bound address of the main listener (the real port when configured as 0). */
    public InetSocketAddress address() {
        return address;
    }

    /** The bound address of the {@code http_redirect_addr} listener. */
    public Optional<InetSocketAddress> redirectAddress() {
        return redirectAddress;
    }

    /**
     * Serves {@code options} from now on: everything is built first, then swapped in. Requests
     * already running finish on the old snapshot, open connections keep the certificate they were
     * opened with, and upstream connection pools stay for upstreams that did not change. What cannot
     * change without a restart (the listeners, the timeouts of connections, metrics and tracing)
     * keeps its running value.
     *
     * @throws IllegalArgumentException when the snapshot cannot be built; the old one goes on serving
     * @throws GeneralSecurityException naming a certificate or key that cannot be used; likewise
     */
    @Override
    public void apply(Options options) throws GeneralSecurityException {
        Runnable swapSnapshot = () -> snapshot.set(ProxySnapshot.of(options, signIn, Optional.of(snapshot.get())));
        try {
            connector.prepareTls(options.routes());
            if (certificates.isPresent()) {
                certificates.get().reconfigure(listener(options), swapSnapshot);
            } else {
                swapSnapshot.run();
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            configRejected();
            throw e;
        }
        autocert.ifPresent(a -> a.update(AutocertNames.of(options)));
        if (!options.storage().equals(storage)) {
            log.warn("databroker_storage_* changed: where sign-in state lives changes at the next restart");
        }
        LogOutput.level(options.logLevel());
        metrics.ifPresent(ProxyMetrics::configLoaded);
    }

    /** A new configuration was rejected before it reached {@link #apply} (for {@code pomerium_config_last_reload_success}). */
    @Override
    public void configRejected() {
        metrics.ifPresent(ProxyMetrics::configRejected);
    }

    /** The bound address of the {@code metrics_address} listener. */
    public Optional<InetSocketAddress> metricsAddress() {
        return metricsServer.map(MetricsServer::address);
    }

    /** Client connections open now, on every listener. */
    public int openConnections() {
        return connections.count();
    }

    /** Requests being answered right now. */
    public int inFlightRequests() {
        return inFlight.count();
    }

    /**
     * Stops accepting connections, lets requests in flight finish for up to {@code grace}, then
     * closes everything.
     */
    public void shutdownGracefully(Duration grace) throws InterruptedException {
        for (Channel listener : listeners) {
            listener.close().await();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.count() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (inFlight.count() > 0) {
            log.warn("stopping with {} requests still in flight after {}", inFlight.count(), grace);
        }
        close();
    }

    /**
     * Waits at most 10 s for each event loop of {@code group} to end. Each loop is waited on by
     * itself: the group's own termination future is completed by a listener that Netty runs on its
     * shared {@code GlobalEventExecutor}, so anything stuck there would make a stop wait in vain.
     */
    private static void shutDown(String name, EventLoopGroup group) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        try {
            if (!group.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("stopping: the {} event loops did not end within 10 s; going on", name);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        listeners.forEach(Channel::close);
        connector.closeAll();
        shutDown("boss", bossGroup);
        shutDown("worker", workerGroup);
        resolver.close();
        signIn.providerCalls().shutdownNow();
        autocert.ifPresent(AutocertService::close);
        metricsServer.ifPresent(MetricsServer::close);
        sharedStore.ifPresent(SharedStore::close);
        metrics.ifPresent(ProxyMetrics::close);
        tracing.close();
    }
}
