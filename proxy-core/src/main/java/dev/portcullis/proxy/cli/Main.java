package dev.portcullis.proxy.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.ConfigProblem;
import dev.portcullis.config.LoadedConfig;
import dev.portcullis.proxy.access.PolicyGate;
import dev.portcullis.proxy.log.AuditLog;
import dev.portcullis.proxy.log.LogFormat;
import dev.portcullis.proxy.log.LogOutput;
import dev.portcullis.proxy.reload.ConfigReloader;
import dev.portcullis.proxy.reload.ConfigWatch;
import dev.portcullis.proxy.reload.ReloadSignal;
import dev.portcullis.proxy.server.BuildVersion;
import dev.portcullis.proxy.server.ProxyServer;
import dev.portcullis.proxy.transport.Transport;
import dev.portcullis.proxy.upstream.UpstreamConnector;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code portcullis} command. Exit codes: 0 success, 1 the proxy could not start (e.g. the
 * port is taken), 2 a configuration or usage error, listed on standard error.
 */
public final class Main {
    /**
     * How long requests in flight may finish after {@code SIGTERM}: inside {@code docker stop}'s default
     * grace period of 10 s, with room to close connections and flush the log, so that a stop ends by
     * itself rather than by {@code SIGKILL}.
     */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(8);
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    public static void main(String[] args) {
        int code = run(List.of(args), System.getenv(), System.out, System.err);
        // Every command, not only a failing one: lines logged in the last few milliseconds (a warning of
        // `validate`) may still wait for the log writer's next batch.
        flushLogs();
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a command; for {@code serve}, returns only when the proxy stops. */
    static int run(List<String> args, Map<String, String> environment, PrintStream out, PrintStream err) {
        if (!args.isEmpty() && args.get(0).equals("users")) {
            return new UsersCommand(environment, System.in, Optional.ofNullable(System.console()), out, err,
                    Clock.systemUTC())
                    .run(args.subList(1, args.size()));
        }
        if (!args.isEmpty() && args.get(0).equals("check")) {
            try {
                return PolicyCheck.run(PolicyCheckParser.parse(args.subList(1, args.size())), environment,
                        Clock.systemUTC(), out, err);
            } catch (CommandLine.UsageException e) {
                err.println("portcullis: " + e.getMessage());
                err.print(CommandLine.USAGE);
                return PolicyCheck.ERROR;
            }
        }
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            err.println("portcullis: " + e.getMessage());
            err.print(CommandLine.USAGE);
            return 2;
        }
        switch (commandLine.command()) {
            case "help" -> {
                out.print(CommandLine.USAGE);
                return 0;
            }
            case "version" -> {
                out.println("portcullis " + BuildVersion.current());
                return 0;
            }
            case "gen-secret" -> {
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                out.println(Base64.getEncoder().encodeToString(secret));
                return 0;
            }
            default -> {
                return loadAnd(commandLine, environment, out, err);
            }
        }
    }

    private static int loadAnd(CommandLine commandLine, Map<String, String> environment, PrintStream out, PrintStream err) {
        LoadedConfig loaded;
        try {
            ConfigLoader loader = commandLine.command().equals("serve") ? CommandLoaders.forServe(environment)
                    : CommandLoaders.forValidate(environment);
            loaded = loader.load(commandLine.configFile());
        } catch (ConfigException e) {
            err.println("portcullis: the configuration has " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem:" : " problems:"));
            for (ConfigProblem problem : e.problems()) {
                err.println("  " + problem);
            }
            if (commandLine.command().equals("serve")) {
                // The file was not accepted, so only the environment can have chosen the format.
                LogOutput.apply(LogFormat.chosen(environment.get("LOG_FORMAT"), System.console() != null), "info");
                AuditLog.configRejected(e.problems().stream().map(ConfigProblem::toString).toList(),
                        commandLine.configFile());
            }
            return 2;
        }
        if (commandLine.command().equals("validate")) {
            loaded.warnings().forEach(w -> err.println("warning: " + w));
            try {
                UpstreamConnector.checkTls(loaded.options().routes());
            } catch (GeneralSecurityException e) {
                err.println("portcullis: the configuration has 1 problem:");
                err.println("  " + e.getMessage());
                return 2;
            }
            out.println("configuration OK: " + loaded.options().routes().size() + " routes");
            return 0;
        }
        // Before the first line: every line of this run has the same format.
        LogOutput.apply(LogFormat.chosen(loaded.options().logFormat(), System.console() != null),
                loaded.options().logLevel());
        loaded.warnings().forEach(log::warn);
        AuditLog.configLoaded(loaded.options().routes().size(), commandLine.configFile());
        return serve(loaded, CommandLoaders.forServe(environment), commandLine.configFile());
    }

    private static int serve(LoadedConfig loaded, ConfigLoader loader, Optional<Path> configFile) {
        ProxyServer server;
        try {
            server = ProxyServer.start(loaded.options(), Transport.best(), new PolicyGate(Clock.systemUTC()));
        } catch (GeneralSecurityException e) {
            log.error("cannot use the TLS certificate: {}", e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (UncheckedIOException e) {
            log.error("cannot start: {}", e.getMessage()); // our own sentence, naming the option
            return 1;
        } catch (RuntimeException e) {
            log.error("cannot start: {}", e.toString());
            return 1;
        }
        ConfigWatch watch = ConfigWatch.start(new ConfigReloader(loader, configFile, loaded, server));
        ReloadSignal.onHangUp(() -> watch.reloadNow("SIGHUP"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            watch.close();
            log.info("stopping: no new connections; waiting up to {}s for requests in flight", SHUTDOWN_GRACE.toSeconds());
            try {
                server.shutdownGracefully(SHUTDOWN_GRACE);
                log.info("stopped");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
            flushLogs();
        }, "portcullis-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Log lines are written by a background thread: let it finish before the JVM exits. */
    private static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.stop();
        }
    }
}
