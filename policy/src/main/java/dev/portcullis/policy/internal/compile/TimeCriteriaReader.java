package dev.portcullis.policy.internal.compile;

import static dev.portcullis.policy.internal.compile.Problems.key;

import dev.portcullis.policy.internal.criteria.DateCriterion;
import dev.portcullis.policy.internal.criteria.DayOfWeekCriterion;
import dev.portcullis.policy.internal.criteria.TimeOfDayCriterion;
import dev.portcullis.policy.internal.eval.Condition;
import dev.portcullis.policy.internal.match.Scalars;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads {@code date}, {@code day_of_week} and {@code time_of_day}. */
final class TimeCriteriaReader {

    private static final List<String> DATE_KEYS = List.of("after", "before");
    private static final List<String> TIME_KEYS = List.of("timezone", "after", "before");

    private final Problems problems;

    TimeCriteriaReader(Problems problems) {
        this.problems = problems;
    }

    Optional<Condition> date(String criterionPath, Object value, String path) {
        Map<?, ?> map = matcher(value, path, "a date matcher {after: …, before: …}", DATE_KEYS);
        if (map == null) {
            return Optional.empty();
        }
        int before = problems.count();
        Instant after = instant(map.get("after"), key(path, "after"));
        Instant until = instant(map.get("before"), key(path, "before"));
        if (problems.count() > before) {
            return Optional.empty();
        }
        if (after != null && until != null && !after.isBefore(until)) {
            problems.add(path, "after (" + after + ") must be earlier than before (" + until + ")");
            return Optional.empty();
        }
        return Optional.of(new DateCriterion(criterionPath, after, until));
    }

    private Instant instant(Object value, String path) {
        if (value == null) {
            return null;
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        Instant instant = value instanceof String s ? TimeValues.instant(s) : null;
        if (instant == null) {
            problems.add(path, "expected an ISO-8601 date or date-time such as 2024-05-01 or 2024-05-01T09:00:00Z, found "
                    + shown(value));
        }
        return instant;
    }

    Optional<Condition> dayOfWeek(String criterionPath, Object value, String path) {
        if (!(value instanceof String text) || text.isBlank()) {
            problems.add(path, "expected days as one string such as \"*\", \"mon,wed\" or \"tue-fri\", found "
                    + shown(value));
            return Optional.empty();
        }
        int days = TimeValues.days(text, path, problems);
        return days < 0 ? Optional.empty() : Optional.of(new DayOfWeekCriterion(criterionPath, days, text.trim()));
    }

    Optional<Condition> timeOfDay(String criterionPath, Object value, String path) {
        Map<?, ?> map = matcher(value, path, "a time of day matcher {timezone: …, after: …, before: …}", TIME_KEYS);
        if (map == null) {
            return Optional.empty();
        }
        int before = problems.count();
        ZoneId zone = zone(map.get("timezone"), path);
        LocalTime after = localTime(map.get("after"), key(path, "after"));
        LocalTime until = localTime(map.get("before"), key(path, "before"));
        if (problems.count() > before) {
            return Optional.empty();
        }
        if (after != null && after.equals(until)) {
            problems.add(path, "after and before are both " + after + ", which leaves no time of day");
            return Optional.empty();
        }
        return Optional.of(new TimeOfDayCriterion(criterionPath, zone, after, until));
    }

    private ZoneId zone(Object value, String path) {
        if (value == null) {
            problems.add(path, "timezone is required, e.g. timezone: Europe/Berlin");
            return null;
        }
        ZoneId zone = value instanceof String s ? TimeValues.zone(s) : null;
        if (zone == null) {
            String text = String.valueOf(value);
            problems.add(key(path, "timezone"), "unknown time zone " + shown(value)
                    + Spelling.didYouMean(text, ZoneId.getAvailableZoneIds())
                    + "; use a region name such as Europe/Berlin or America/New_York, or UTC");
        }
        return zone;
    }

    private LocalTime localTime(Object value, String path) {
        if (value == null) {
            return null;
        }
        LocalTime time = value instanceof String s ? TimeValues.localTime(s) : null;
        if (time == null) {
            String hint = value instanceof Number ? " (YAML may read 9:00 as a number; quote it: \"9:00\")" : "";
            problems.add(path, "expected a time such as 15:04, 15:04:05 or 3:04 PM, found " + shown(value) + hint);
        }
        return time;
    }

    /** The matcher map with only known keys and at least one of after/before; null after adding a problem. */
    private Map<?, ?> matcher(Object value, String path, String expected, List<String> keys) {
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(path, "expected " + expected + ", found " + Scalars.kind(value));
            return null;
        }
        int before = problems.count();
        for (Object k : map.keySet()) {
            String name = String.valueOf(k);
            if (!keys.contains(name)) {
                problems.add(path, "unknown key \"" + name + "\"" + Spelling.didYouMean(name, keys)
                        + "; expected " + String.join(", ", keys));
            }
        }
        if (problems.count() == before && !map.containsKey("after") && !map.containsKey("before")) {
            problems.add(path, "needs after, before, or both");
        }
        return problems.count() > before ? null : map;
    }

    private static String shown(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : Scalars.kind(value);
    }
}
