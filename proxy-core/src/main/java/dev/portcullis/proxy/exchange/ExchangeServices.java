package dev.portcullis.proxy.exchange;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.upstream.UpstreamConnector;
import dev.portcullis.proxy.access.AccessGate;

/**
 * What an exchange needs beyond its request and configuration: the upstream connections, the
 * access gate, and the recorder told when an answer is complete.
 */
public record ExchangeServices(UpstreamConnector connector, AccessGate gate, AnswerRecorder recorder) {
    public ExchangeServices {
        requireNonNull(connector, "connector");
        requireNonNull(gate, "gate");
        requireNonNull(recorder, "recorder");
    }
}
