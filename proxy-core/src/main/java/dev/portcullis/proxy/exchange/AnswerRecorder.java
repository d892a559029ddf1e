package dev.portcullis.proxy.exchange;

/** Called exactly once per request, when its answer is complete or abandoned (access log, metrics). */
@FunctionalInterface
public interface AnswerRecorder {
    void record(RequestContext rc);
}
