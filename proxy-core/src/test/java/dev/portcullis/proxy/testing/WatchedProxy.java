package dev.portcullis.proxy.testing;

import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.LoadedConfig;
import dev.portcullis.proxy.access.PolicyGate;
import dev.portcullis.proxy.reload.ConfigReloader;
import dev.portcullis.proxy.reload.ConfigWatch;
import dev.portcullis.proxy.server.ProxyServer;
import dev.portcullis.proxy.transport.Transport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * A proxy started from a configuration file in {@code dir}, watched and reloaded exactly as the
 * {@code portcullis} command does it (a {@link ConfigReloader} behind a {@link ConfigWatch}).
 */
public final class WatchedProxy implements AutoCloseable {
    private final Path config;
    private final ProxyServer server;
    private final ConfigWatch watch;

    private WatchedProxy(Path config, ProxyServer server, ConfigWatch watch) {
        this.config = config;
        this.server = server;
        this.watch = watch;
    }

    /** Writes {@code yaml} (with {@link RunningProxy#withDefaults}) to {@code dir/config.yaml} and serves it. */
    public static WatchedProxy start(Path dir, String yaml) throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, RunningProxy.withDefaults(yaml), StandardCharsets.UTF_8);
        ConfigLoader loader = new ConfigLoader(Map.of());
        LoadedConfig loaded = loader.load(Optional.of(config));
        ProxyServer server = ProxyServer.start(loaded.options(), Transport.best(), new PolicyGate(Clock.systemUTC()));
        return new WatchedProxy(config, server, ConfigWatch.start(new ConfigReloader(loader, Optional.of(config), loaded, server)));
    }

    /** Replaces the configuration file as an editor does: a new file renamed over the old one. */
    public void replaceConfig(String yaml) throws IOException {
        Path next = config.resolveSibling("config.yaml.new");
        Files.writeString(next, RunningProxy.withDefaults(yaml), StandardCharsets.UTF_8);
        Files.move(next, config, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rewrites the configuration file in place, as {@code echo … > config.yaml} does. */
    public void rewriteConfig(String yaml) throws IOException {
        Files.writeString(config, RunningProxy.withDefaults(yaml), StandardCharsets.UTF_8);
    }

    public ConfigWatch watch() {
        return watch;
    }

    public ProxyServer server() {
        return server;
    }

    public int port() {
        return server.address().getPort();
    }

    /** Waits up to {@code limit} for {@code condition}; whether it came true. */
    public static boolean within(Duration limit, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.call();
    }

    @Override
    public void close() {
        watch.close();
        server.close();
    }
}
