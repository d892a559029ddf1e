package dev.portcullis.proxy.log;

import dev.portcullis.proxy.report.FinishedRequest;
import dev.portcullis.proxy.report.RequestReporter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one line per request to the {@code portcullis.access} logger, whatever the outcome:
 * request id, method, host, path, status, duration, route, upstream, bytes and client address; the
 * user id and email when signed in; the access decision ({@code allow}, {@code sign_in},
 * {@code deny}) with the policy's reasons when it did not allow.
 * Never the query string, cookies or other headers, which may hold secrets. The fields are written by
 * {@link AccessLine} when the line is encoded, on the log's writer thread.
 */
public final class AccessLog implements RequestReporter {
    private static final Logger log = LoggerFactory.getLogger("portcullis.access");

    /** Records the finished request. */
    @Override
    public void finished(FinishedRequest request) {
        if (!log.isInfoEnabled()) {
            return;
        }
        log.info(new AccessLine(request), "{} {} {}", request.method(), request.path(), request.status());
    }
}
