package dev.portcullis.proxy.reload;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

/** Run in a child JVM by {@link ReloadSignalTest}: installs the SIGHUP handler and prints whether it took. */
final class HangUpProbe {
    private HangUpProbe() {}

    public static void main(String[] args) {
        boolean installed = ReloadSignal.onHangUp(() -> {});
        ((LoggerContext) LoggerFactory.getILoggerFactory()).stop(); // the warning is written before the answer
        System.out.println("sighup reloads: " + installed);
    }
}
