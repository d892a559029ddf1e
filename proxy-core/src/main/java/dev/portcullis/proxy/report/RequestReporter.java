package dev.portcullis.proxy.report;

/** Told exactly once per request, when its answer is complete or abandoned (the access log, the metrics). */
@FunctionalInterface
public interface RequestReporter {
    void finished(FinishedRequest request);

    /** This reporter, then {@code next}. */
    default RequestReporter andThen(RequestReporter next) {
        return request -> {
            finished(request);
            next.finished(request);
        };
    }
}
