package dev.portcullis.proxy.reload;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every file the served configuration read (the configuration file, certificates, keys,
 * CA bundles, a Traefik {@code acme.json} …) by polling their {@link FileFingerprint}s every
 * {@link #INTERVAL}, and reloads when one changed and then held still for one more look, so a
 * file caught half-written is not tried. Polling, rather than file-system events, sees a symlink
 * repointed and a directory swapped under a path just as well as a file rewritten in place, on
 * every file system, including the bind mounts of a NAS's Docker.
 *
 * <p>Everything runs on one daemon thread, also a reload asked for by {@code SIGHUP}
 * ({@link #reloadNow}); the event loops are never involved.
 */
public final class ConfigWatch implements AutoCloseable {
    /** How often the files are looked at; a change is served within about three of these. */
    public static final Duration INTERVAL = Duration.ofMillis(300);
    private static final Logger log = LoggerFactory.getLogger(ConfigWatch.class);

    private final ConfigReloader reloader;
    private final ScheduledExecutorService thread;
    private Map<Path, FileFingerprint> served;
    private Map<Path, FileFingerprint> pending = Map.of();

    private ConfigWatch(ConfigReloader reloader) {
        this.reloader = reloader;
        this.served = fingerprints(reloader.current().watchedFiles());
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "config-watch");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts watching the files of the configuration {@code reloader} serves. */
    public static ConfigWatch start(ConfigReloader reloader) {
        ConfigWatch watch = new ConfigWatch(requireNonNull(reloader, "reloader"));
        watch.thread.scheduleWithFixedDelay(watch::look, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        int files = watch.served.size();
        log.info("watching {} configuration {} for changes", files, files == 1 ? "file" : "files");
        return watch;
    }

    /** Reloads now, on the watch thread, whether or not a file changed. */
    public void reloadNow(String trigger) {
        thread.execute(() -> reload(trigger));
    }

    private void look() {
        try {
            Map<Path, FileFingerprint> now = fingerprints(List.copyOf(served.keySet()));
            if (now.equals(served)) {
                pending = Map.of();
                return;
            }
            if (!now.equals(pending)) {
                pending = now; // changed since the last look: wait until it holds still
                return;
            }
            reload("a change to " + changedFile(now).map(Path::toString).orElse("a watched file"));
        } catch (RuntimeException e) {
            log.warn("watching the configuration files failed; trying again: {}", e.toString());
        }
    }

    private void reload(String trigger) {
        Map<Path, FileFingerprint> tried = fingerprints(List.copyOf(served.keySet()));
        ConfigReloader.Outcome outcome = reloader.reload(trigger);
        // Whatever the outcome, these contents were tried: wait for the next change. A refused
        // configuration is tried again when one of its files changes, which is what fixing it does;
        // its own files are watched too, besides those of the configuration still served.
        // Fingerprints taken before the load, so that a change during it is seen at the next look.
        Map<Path, FileFingerprint> files = new LinkedHashMap<>(outcome.served() ? Map.of() : tried);
        for (Path path : outcome.files()) {
            files.computeIfAbsent(path, p -> tried.containsKey(p) ? tried.get(p) : FileFingerprint.of(p));
        }
        served = files;
        pending = Map.of();
    }

    private Optional<Path> changedFile(Map<Path, FileFingerprint> now) {
        return now.entrySet().stream().filter(e -> !e.getValue().equals(served.get(e.getKey())))
                .map(Map.Entry::getKey).findFirst();
    }

    private static Map<Path, FileFingerprint> fingerprints(List<Path> paths) {
        Map<Path, FileFingerprint> fingerprints = new LinkedHashMap<>();
        for (Path path : paths) {
            fingerprints.put(path, FileFingerprint.of(path));
        }
        return fingerprints;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
