package dev.portcullis.policy.internal.compile;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the text forms of dates, days of the week, times of day and time zones that policies use. */
final class TimeValues {

    private static final Pattern TIME = Pattern.compile(
            "(\\d{1,2})(?::(\\d{2}))?(?::(\\d{2})(?:\\.(\\d{1,9}))?)?\\s*([AaPp][Mm])?");
    private static final Pattern DATE_SPACE_TIME = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) (\\d.*)");
    private static final List<String> DAY_NAMES = dayNames();

    private TimeValues() {
    }

    /**
     * An ISO-8601 date or date-time: {@code 2024-05-01T09:00:00Z}, {@code 2024-05-01T09:00:00+02:00},
     * {@code 2024-05-01T09:00:00} (UTC, as in Pomerium's examples), or {@code 2024-05-01} (midnight UTC).
     * Null when it is none of these.
     */
    static Instant instant(String text) {
        String s = text.trim();
        Matcher spaced = DATE_SPACE_TIME.matcher(s);
        if (spaced.matches()) {
            s = spaced.group(1) + "T" + spaced.group(2);
        }
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(s, ZonedDateTime::from,
                    LocalDateTime::from);
            return parsed instanceof ZonedDateTime zoned
                    ? zoned.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException notDateTime) {
            try {
                return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeException notDate) {
                return null;
            }
        }
    }

    /**
     * A time of day in one of Pomerium's forms: {@code 15:04}, {@code 15:04:05}, {@code 15:04:05.999999999},
     * {@code 3:04 PM}, {@code 3:04PM}, {@code 3 PM}, {@code 3PM}. Null when it is none of these.
     */
    static LocalTime localTime(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            return null;
        }
        int hour = Integer.parseInt(m.group(1));
        int minute = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int second = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        int nano = m.group(4) == null ? 0 : Integer.parseInt((m.group(4) + "00000000").substring(0, 9));
        String half = m.group(5);
        if (half == null) {
            if (m.group(2) == null || hour > 23) {
                return null;
            }
        } else {
            if (hour < 1 || hour > 12) {
                return null;
            }
            hour = hour % 12 + (half.equalsIgnoreCase("pm") ? 12 : 0);
        }
        if (minute > 59 || second > 59) {
            return null;
        }
        return LocalTime.of(hour, minute, second, nano);
    }

    /** A zone by region name ({@code Europe/Berlin}), offset ({@code +02:00}), {@code UTC}, or short id ({@code EST}). */
    static ZoneId zone(String text) {
        try {
            return ZoneId.of(text.trim(), ZoneId.SHORT_IDS);
        } catch (DateTimeException e) {
            return null;
        }
    }

    /**
     * Days as a bit set (bit 0 = Monday): {@code *}, a comma-separated list ({@code mon,wed}), ranges
     * ({@code tue-fri}, wrapping: {@code fri-mon}), full or three-letter names in any case. Adds a problem and
     * returns -1 for anything else.
     */
    static int days(String text, String path, Problems problems) {
        String s = text.trim();
        if (s.equals("*")) {
            return 0x7F;
        }
        int days = 0;
        for (String item : s.split(",", -1)) {
            String[] range = item.split("-", -1);
            if (range.length > 2) {
                problems.add(path, "\"" + item.trim() + "\" is not a day or a range of days such as tue-fri");
                return -1;
            }
            DayOfWeek first = day(range[0], path, problems);
            DayOfWeek last = range.length == 2 ? day(range[1], path, problems) : first;
            if (first == null || last == null) {
                return -1;
            }
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days |= 1 << (d.getValue() - 1);
                if (d == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String word, String path, Problems problems) {
        String name = word.trim().toLowerCase(Locale.ROOT);
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (name.equals(full) || name.equals(full.substring(0, 3))) {
                return d;
            }
        }
        problems.add(path, "unknown day \"" + word.trim() + "\"" + Spelling.didYouMean(name, DAY_NAMES)
                + "; expected * or days such as mon,wed or tue-fri (full or three-letter English names)");
        return null;
    }

    private static List<String> dayNames() {
        List<String> names = new ArrayList<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            names.add(full);
            names.add(full.substring(0, 3));
        }
        return List.copyOf(names);
    }
}
