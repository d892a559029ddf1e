package dev.portcullis.proxy.log;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A line's {@code time}: the instant as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} writes it in one zone
 * ({@code 2026-11-23T09:45:41.807123Z}, the fraction without trailing zeros and left out when zero, as logstash's
 * encoder writes it). The text up to the second and the offset are kept for the last second seen, so a busy log
 * builds only the fraction per line.
 */
final class LineTimestamp {
    private final ZoneId zone;
    private volatile Second last = new Second(Long.MIN_VALUE, "", "");

    LineTimestamp(ZoneId zone) {
        this.zone = requireNonNull(zone, "zone");
    }

    String format(Instant instant) {
        Second second = last;
        if (second.epochSecond != instant.getEpochSecond()) {
            second = second(instant.getEpochSecond());
            last = second;
        }
        int nanos = instant.getNano();
        if (nanos == 0) {
            return second.dateTime + second.offset;
        }
        StringBuilder text = new StringBuilder(second.dateTime.length() + 10 + second.offset.length())
                .append(second.dateTime).append('.');
        int digits = 9;
        while (nanos % 10 == 0) {
            nanos /= 10;
            digits--;
        }
        String fraction = Integer.toString(nanos);
        for (int zeros = digits - fraction.length(); zeros > 0; zeros--) {
            text.append('0');
        }
        return text.append(fraction).append(second.offset).toString();
    }

    private Second second(long epochSecond) {
        Instant start = Instant.ofEpochSecond(epochSecond);
        ZoneOffset offset = zone.getRules().getOffset(start);
        String dateTime = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(LocalDateTime.ofInstant(start, offset));
        return new Second(epochSecond, dateTime, offset.getId());
    }

    /** The text of one second: the local date and time, and the zone's offset then. */
    private record Second(long epochSecond, String dateTime, String offset) {}
}
