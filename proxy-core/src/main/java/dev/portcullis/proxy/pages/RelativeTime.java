package dev.portcullis.proxy.pages;

import java.time.Duration;
import java.time.Instant;

/**
 * A moment as people say it relative to now, to the minute: "in 13 h 20 min", "2 d 3 h ago",
 * "in less than a minute". Shown next to the exact ISO-8601 time, never instead of it.
 */
final class RelativeTime {
    private RelativeTime() {}

    static String describe(Instant moment, Instant now) {
        Duration distance = Duration.between(now, moment);
        boolean future = !distance.isNegative();
        long minutes = distance.abs().toMinutes();
        if (minutes == 0) {
            return future ? "in less than a minute" : "less than a minute ago";
        }
        String amount = amount(minutes);
        return future ? "in " + amount : amount + " ago";
    }

    /** The two largest units, dropping a zero second unit: "2 d 3 h", "14 h", "13 h 20 min", "5 min". */
    private static String amount(long minutes) {
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        if (days > 0) {
            return hours > 0 ? days + " d " + hours + " h" : days + " d";
        }
        if (hours > 0) {
            return mins > 0 ? hours + " h " + mins + " min" : hours + " h";
        }
        return mins + " min";
    }
}
