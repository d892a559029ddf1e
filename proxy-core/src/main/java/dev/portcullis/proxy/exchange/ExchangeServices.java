package dev.portcullis.proxy.exchange;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.upstream.UpstreamConnector;
import dev.portcullis.proxy.access.AccessGate;
import dev.portcullis.proxy.signin.SignInRuntime;
import dev.portcullis.proxy.tracing.Tracing;

/**
 * What an exchange needs beyond its request and configuration: the upstream connections, the
 * access gate, the recorder told when an answer is complete, and what sign-in keeps for the
 * process (revocations, which end a WebSocket whose session was revoked), and the tracer.
 */
public record ExchangeServices(UpstreamConnector connector, AccessGate gate, AnswerRecorder recorder,
        SignInRuntime signIn, Tracing tracing) {
    public ExchangeServices {
        requireNonNull(connector, "connector");
        requireNonNull(gate, "gate");
        requireNonNull(recorder, "recorder");
        requireNonNull(signIn, "signIn");
        requireNonNull(tracing, "tracing");
    }
}
