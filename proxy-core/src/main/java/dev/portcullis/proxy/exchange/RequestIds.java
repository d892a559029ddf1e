package dev.portcullis.proxy.exchange;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Request ids: 16 random hex digits, shown on error pages, sent upstream as {@code X-Request-Id}, and logged. */
final class RequestIds {
    private RequestIds() {}

    static String next() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
