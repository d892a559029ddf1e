package dev.portcullis.proxy.exchange;

import dev.portcullis.config.route.UpstreamEndpoint;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * The one line a route with {@code show_error_details} shows on its error page when the upstream failed: which
 * endpoint and what happened (refused, timed out, a failed TLS handshake and the reason the TLS library gave).
 * Built from exception messages only, never a stack trace or an exception class name, on one line and bounded.
 */
final class UpstreamFailureDetails {
    private static final int MAX_LENGTH = 400;

    private UpstreamFailureDetails() {}

    /** No connection to {@code endpoint} could be made, or its TLS handshake failed. */
    static String connect(UpstreamEndpoint endpoint, Throwable cause) {
        if (find(cause, SSLException.class) != null || find(cause, CertificateException.class) != null) {
            return bounded("the TLS handshake with " + endpoint + " failed: " + deepestMessage(cause));
        }
        if (find(cause, ConnectTimeoutException.class) != null) {
            return bounded("connecting to " + endpoint + " timed out");
        }
        if (find(cause, UnknownHostException.class) != null) {
            return bounded("the host name of " + endpoint + " could not be resolved");
        }
        if (find(cause, ConnectException.class) != null) {
            return bounded("connecting to " + endpoint + " was refused");
        }
        return bounded("connecting to " + endpoint + " failed: " + deepestMessage(cause));
    }

    /** {@code endpoint} closed the connection (or failed) before its response began. */
    static String reset(UpstreamEndpoint endpoint, Throwable cause) {
        return bounded(endpoint + " closed the connection before answering"
                + (cause == null ? "" : ": " + deepestMessage(cause)));
    }

    /** {@code endpoint} did not answer in time. */
    static String timeout(UpstreamEndpoint endpoint, String which) {
        return bounded(endpoint + " did not answer within the route's "
                + (which.contains("idle") ? "idle_timeout" : "timeout"));
    }

    private static <T extends Throwable> T find(Throwable cause, Class<T> type) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The message of the innermost cause that has one, without the exception class names some messages begin with. */
    private static String deepestMessage(Throwable cause) {
        String message = null;
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
            }
        }
        if (message == null) {
            return "no reason given";
        }
        return message.replaceAll("\\b(?:[a-z_$][a-z0-9_$]*\\.)+[A-Z][A-Za-z0-9_$]*(?:Exception|Error): ?", "");
    }

    private static String bounded(String text) {
        String line = text.replaceAll("[\\r\\n\\t]+", " ").strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH - 1) + "…";
    }
}
