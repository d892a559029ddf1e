package dev.portcullis.proxy.exchange;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.report.RequestReporter;
import dev.portcullis.proxy.signin.SignInRuntime;
import dev.portcullis.proxy.stage.Exchange;
import dev.portcullis.proxy.stage.Stages;
import dev.portcullis.proxy.tracing.Tracing;
import dev.portcullis.proxy.upstream.UpstreamConnector;

/**
 * What carrying out a request needs beyond its request and configuration: the decisions, the
 * upstream connections, where finished requests are reported, what sign-in keeps for the process
 * (revocations, which end a WebSocket whose session was revoked), and the tracer.
 */
public record ExchangeServices(Stages stages, UpstreamConnector connector, RequestReporter reporter,
        SignInRuntime signIn, Tracing tracing) {
    public ExchangeServices {
        requireNonNull(stages, "stages");
        requireNonNull(connector, "connector");
        requireNonNull(reporter, "reporter");
        requireNonNull(signIn, "signIn");
        requireNonNull(tracing, "tracing");
    }

    /** The exchange's answer is complete or abandoned: its spans end, and the access log and metrics hear of it. */
    void report(Exchange exchange) {
        exchange.trace().end(exchange.status(), exchange.outcome().orElse(null));
        reporter.finished(exchange.finished(System.nanoTime()));
    }
}
