package dev.portcullis.proxy.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * A listener that could not be opened, as one sentence naming the address and the option that chose it:
 * {@code cannot listen on 0.0.0.0:8080 (address): another program already listens there; choose another
 * port with ADDRESS=:8081 or address: ":8081" in config.yaml}. No stack trace: the cause is the sentence.
 */
final class CannotListen extends UncheckedIOException {

    private CannotListen(String message, IOException cause) {
        super(message, cause);
    }

    /**
     * @param option the option that named the address: {@code address}, {@code http_redirect_addr},
     *               {@code metrics_address}
     */
    static CannotListen at(String option, InetSocketAddress at, Throwable cause) {
        String why = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String variable = option.toUpperCase(Locale.ROOT);
        String reason = why.contains("Address already in use") || cause instanceof BindException && why.contains("in use")
                ? "another program (or another Portcullis) already listens there; choose another port with "
                        + variable + "=:" + (at.getPort() + 1) + " or " + option + ": \":" + (at.getPort() + 1)
                        + "\" in config.yaml"
                : why.contains("ermission denied")
                        ? "permission denied (ports below 1024 need privileges; choose a port above 1024 with "
                                + variable + " or " + option + ":)"
                        : why + " (choose another address with " + variable + " or " + option + ":)";
        return new CannotListen("cannot listen on " + ListenAddress.display(at) + " (" + option + "): " + reason,
                cause instanceof IOException io ? io : new IOException(why, cause));
    }
}
