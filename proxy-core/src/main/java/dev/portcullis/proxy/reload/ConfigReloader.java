package dev.portcullis.proxy.reload;

import static java.util.Objects.requireNonNull;

import dev.portcullis.config.ConfigException;
import dev.portcullis.config.ConfigLoader;
import dev.portcullis.config.ConfigProblem;
import dev.portcullis.config.LoadedConfig;
import dev.portcullis.config.Options;
import dev.portcullis.proxy.log.AuditLog;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a complete new configuration from the same sources as at start (the {@code --config}
 * file and the environment), validates it, and hands it to the running proxy; or refuses it, and
 * the running configuration goes on serving. One reload at a time.
 */
public final class ConfigReloader {
    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /** The running proxy, as a reload sees it. */
    public interface Target {
        /**
         * Serves {@code options} from now on, or throws, naming what cannot be used, and changes
         * nothing (and counts the refusal itself).
         */
        void apply(Options options) throws GeneralSecurityException;

        /** Counts a configuration refused before it reached {@link #apply}. */
        void configRejected();
    }

    private final ConfigLoader loader;
    private final Optional<Path> configFile;
    private final Target target;
    private volatile LoadedConfig current;

    /**
     * @param loader     reads the configuration (with the process environment)
     * @param configFile the {@code --config} file, if any
     * @param running    the configuration being served
     * @param target     serves a new configuration
     */
    public ConfigReloader(ConfigLoader loader, Optional<Path> configFile, LoadedConfig running, Target target) {
        this.loader = requireNonNull(loader, "loader");
        this.configFile = requireNonNull(configFile, "configFile");
        this.current = requireNonNull(running, "running");
        this.target = requireNonNull(target, "target");
    }

    /** The configuration being served. */
    public LoadedConfig current() {
        return current;
    }

    /**
     * What a reload did.
     *
     * @param served whether the new configuration is now served
     * @param files  the files the new configuration read or tried to read, served or not: a refused
     *               one is tried again when one of them changes (a missing certificate appearing, say)
     */
    public record Outcome(boolean served, List<Path> files) {
        public Outcome {
            files = List.copyOf(files);
        }
    }

    /**
     * Loads the configuration again and serves it when it is valid.
     *
     * @param trigger why, for the log: the file that changed, or {@code SIGHUP}
     */
    public synchronized Outcome reload(String trigger) {
        LoadedConfig next;
        try {
            next = loader.load(configFile);
        } catch (ConfigException e) {
            target.configRejected();
            refuse(trigger, e.problems().stream().map(ConfigProblem::toString).toList());
            return new Outcome(false, e.watchedFiles());
        }
        LoadedConfig running = current;
        try {
            target.apply(next.options());
        } catch (GeneralSecurityException | RuntimeException e) {
            refuse(trigger, List.of(e.getMessage() != null ? e.getMessage() : e.toString()));
            return new Outcome(false, next.watchedFiles());
        }
        current = next;
        next.warnings().stream().filter(w -> !running.warnings().contains(w)).forEach(log::warn);
        for (String option : RestartOnlyOptions.changed(running.options(), next.options())) {
            log.warn("{} changed, but takes effect only after a restart: the running value stays until then", option);
        }
        log.info("configuration reloaded after {}", trigger);
        AuditLog.configLoaded(next.options().routes().size(), configFile);
        return new Outcome(true, next.watchedFiles());
    }

    private void refuse(String trigger, List<String> problems) {
        AuditLog.configRejected(problems, configFile);
        log.error("the configuration changed ({}) but is refused, and the previous configuration goes on serving: {}",
                trigger, String.join("; ", problems));
    }
}
