package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code date}, {@code day_of_week} and {@code time_of_day}, across time zones and a daylight-saving change. */
class TimeCriteriaTest {

    static Stream<Arguments> dates() {
        return Stream.of(
                arguments("{after: 2024-05-01T09:00:00Z}", "2024-05-01T09:00:00Z", true),
                arguments("{after: 2024-05-01T09:00:00Z}", "2024-05-01T08:59:59.999Z", false),
                arguments("{before: 2024-05-01T09:00:00Z}", "2024-05-01T08:59:59Z", true),
                arguments("{before: 2024-05-01T09:00:00Z}", "2024-05-01T09:00:00Z", false),
                arguments("{after: 2024-05-01T09:00:00+02:00}", "2024-05-01T07:00:00Z", true),
                arguments("{after: 2024-05-01T09:00:00+02:00}", "2024-05-01T06:59:59Z", false),
                // without an offset a date-time is UTC, as in Pomerium's example 2020-01-02T16:20:00
                arguments("{after: 2020-01-02T16:20:00}", "2020-01-02T16:20:00Z", true),
                arguments("{after: 2020-01-02T16:20:00}", "2020-01-02T16:19:00Z", false),
                arguments("{after: \"2024-05-01 09:00:00Z\"}", "2024-05-01T09:00:00Z", true),
                arguments("{after: 2024-05-01}", "2024-05-01T00:00:00Z", true),
                arguments("{after: 2024-05-01}", "2024-04-30T23:59:59Z", false),
                arguments("{after: \"2024-03-31T01:30:00+01:00[Europe/Paris]\"}", "2024-03-31T00:30:00Z", true),
                arguments("{after: 2024-01-01, before: 2025-01-01}", "2024-12-31T23:59:59Z", true),
                arguments("{after: 2024-01-01, before: 2025-01-01}", "2025-01-01T00:00:00Z", false),
                arguments("{after: 2024-01-01, before: 2025-01-01}", "2023-12-31T23:59:59Z", false));
    }

    @ParameterizedTest(name = "date {0} at {1}: {2}")
    @MethodSource("dates")
    void date(String matcher, String time, boolean allowed) {
        assertThat(Policies.allows("{allow: {and: [{date: " + matcher + "}]}}", anonymous().at(time))).isEqualTo(allowed);
    }

    static Stream<Arguments> daysOfWeek() {
        // 2024-06-10 is a Monday; days are UTC
        return Stream.of(
                arguments("\"*\"", "2024-06-16T12:00:00Z", true),
                arguments("mon", "2024-06-10T00:00:00Z", true),
                arguments("mon", "2024-06-09T23:59:59Z", false),
                arguments("monday", "2024-06-10T12:00:00Z", true),
                arguments("Monday", "2024-06-10T12:00:00Z", true),
                arguments("MON", "2024-06-10T12:00:00Z", true),
                arguments("\"mon,wed\"", "2024-06-12T12:00:00Z", true),
                arguments("\"mon,wed\"", "2024-06-11T12:00:00Z", false),
                arguments("\"mon, wed\"", "2024-06-12T12:00:00Z", true),
                arguments("tue-fri", "2024-06-11T12:00:00Z", true),
                arguments("tue-fri", "2024-06-14T12:00:00Z", true),
                arguments("tue-fri", "2024-06-15T12:00:00Z", false),
                arguments("tue-fri", "2024-06-10T12:00:00Z", false),
                arguments("tuesday-friday", "2024-06-13T12:00:00Z", true),
                arguments("fri-mon", "2024-06-16T12:00:00Z", true),
                arguments("fri-mon", "2024-06-12T12:00:00Z", false),
                arguments("\"mon,thu-fri\"", "2024-06-13T12:00:00Z", true),
                arguments("sun", "1970-01-04T00:00:00Z", true),
                arguments("wed", "1969-12-31T23:00:00Z", true));
    }

    @ParameterizedTest(name = "day_of_week {0} at {1}: {2}")
    @MethodSource("daysOfWeek")
    void dayOfWeek(String days, String time, boolean allowed) {
        assertThat(Policies.allows("{allow: {and: [{day_of_week: " + days + "}]}}", anonymous().at(time)))
                .isEqualTo(allowed);
    }

    static Stream<Arguments> timesOfDay() {
        return Stream.of(
                arguments("{timezone: UTC, after: 9:00, before: 17:00}", "2024-06-12T09:00:00Z", true),
                arguments("{timezone: UTC, after: 9:00, before: 17:00}", "2024-06-12T08:59:59Z", false),
                arguments("{timezone: UTC, after: 9:00, before: 17:00}", "2024-06-12T16:59:59Z", true),
                arguments("{timezone: UTC, after: 9:00, before: 17:00}", "2024-06-12T17:00:00Z", false),
                arguments("{timezone: UTC, after: \"9 AM\", before: \"5:00 PM\"}", "2024-06-12T16:30:00Z", true),
                arguments("{timezone: UTC, after: 9AM, before: 5PM}", "2024-06-12T17:30:00Z", false),
                arguments("{timezone: UTC, after: 12AM, before: 12:30AM}", "2024-06-12T00:10:00Z", true),
                arguments("{timezone: UTC, after: 12PM}", "2024-06-12T12:00:00Z", true),
                arguments("{timezone: UTC, after: 2:20:00, before: 4:30PM}", "2024-06-12T02:20:00Z", true),
                arguments("{timezone: UTC, before: 15:04:05.5}", "2024-06-12T15:04:05.499Z", true),
                arguments("{timezone: UTC, before: 15:04:05.5}", "2024-06-12T15:04:05.500Z", false),
                // crossing midnight
                arguments("{timezone: UTC, after: 22:00, before: 6:00}", "2024-06-12T23:30:00Z", true),
                arguments("{timezone: UTC, after: 22:00, before: 6:00}", "2024-06-12T05:59:00Z", true),
                arguments("{timezone: UTC, after: 22:00, before: 6:00}", "2024-06-12T12:00:00Z", false),
                // the same instant in other zones
                arguments("{timezone: America/New_York, after: 9:00, before: 17:00}", "2024-06-12T14:00:00Z", true),
                arguments("{timezone: America/New_York, after: 9:00, before: 17:00}", "2024-06-12T22:00:00Z", false),
                arguments("{timezone: Asia/Tokyo, after: 9:00, before: 17:00}", "2024-06-12T01:00:00Z", true),
                arguments("{timezone: Asia/Tokyo, after: 9:00, before: 17:00}", "2024-06-12T12:00:00Z", false),
                arguments("{timezone: Asia/Kolkata, after: 9:30, before: 10:00}", "2024-06-12T04:15:00Z", true),
                arguments("{timezone: \"+02:00\", after: 9:00}", "2024-06-12T07:00:00Z", true),
                arguments("{timezone: EST, after: 9:00, before: 10:00}", "2024-06-12T14:30:00Z", true));
    }

    @ParameterizedTest(name = "time_of_day {0} at {1}: {2}")
    @MethodSource("timesOfDay")
    void timeOfDay(String matcher, String time, boolean allowed) {
        assertThat(Policies.allows("{allow: {and: [{time_of_day: " + matcher + "}]}}", anonymous().at(time)))
                .isEqualTo(allowed);
    }

    static Stream<Arguments> acrossDaylightSaving() {
        // Europe/Berlin moved from CET (+01:00) to CEST (+02:00) at 2024-03-31T01:00:00Z,
        // and back at 2024-10-27T01:00:00Z. Office hours 09:00–17:00 local follow the clocks.
        return Stream.of(
                arguments("2024-03-30T07:30:00Z", false), // Saturday 08:30 CET
                arguments("2024-03-30T08:30:00Z", true), //  Saturday 09:30 CET
                arguments("2024-03-31T07:30:00Z", true), //  Sunday 09:30 CEST: one hour earlier in UTC
                arguments("2024-03-31T15:30:00Z", false), // Sunday 17:30 CEST
                arguments("2024-03-30T15:30:00Z", true), //  Saturday 16:30 CET
                arguments("2024-10-27T07:30:00Z", false), // Sunday 08:30 CET again
                arguments("2024-10-26T07:30:00Z", true)); // Saturday 09:30 CEST
    }

    @ParameterizedTest(name = "Berlin office hours at {0}: {1}")
    @MethodSource("acrossDaylightSaving")
    void timeOfDayFollowsDaylightSaving(String time, boolean allowed) {
        String policy = "{allow: {and: [{time_of_day: {timezone: Europe/Berlin, after: 9:00, before: 17:00}}]}}";

        assertThat(Policies.allows(policy, anonymous().at(time))).isEqualTo(allowed);
    }

    @Test
    void theSkippedHourOfTheSpringChangeIsNeitherBeforeNorAfter() {
        // 02:00–03:00 local does not exist on 2024-03-31 in Berlin: 00:59:59Z is 01:59:59 CET, 01:00Z is 03:00 CEST
        String policy = "{allow: {and: [{time_of_day: {timezone: Europe/Berlin, after: 2:00, before: 3:00}}]}}";

        assertThat(Policies.allows(policy, anonymous().at("2024-03-31T00:59:59Z"))).isFalse();
        assertThat(Policies.allows(policy, anonymous().at("2024-03-31T01:00:00Z"))).isFalse();
        assertThat(Policies.allows(policy, anonymous().at("2024-03-30T01:30:00Z"))).isTrue();
    }

    @Test
    void theRepeatedHourOfTheAutumnChangeMatchesBothTimes() {
        String policy = "{allow: {and: [{time_of_day: {timezone: Europe/Berlin, after: 2:00, before: 3:00}}]}}";

        assertThat(Policies.allows(policy, anonymous().at("2024-10-27T00:30:00Z"))).isTrue(); // 02:30 CEST
        assertThat(Policies.allows(policy, anonymous().at("2024-10-27T01:30:00Z"))).isTrue(); // 02:30 CET
    }

    @Test
    void officeHoursOnWeekdays() {
        String policy = "{allow: {and: [{day_of_week: mon-fri},"
                + " {time_of_day: {timezone: America/Los_Angeles, after: 8:00, before: 18:00}}]}}";

        assertThat(Policies.allows(policy, anonymous().at("2024-06-12T16:00:00Z"))).isTrue();
        assertThat(Policies.allows(policy, anonymous().at("2024-06-15T16:00:00Z"))).isFalse();
        assertThat(Policies.decide(policy, anonymous().at("2024-06-12T03:00:00Z")).explanation())
                .isEqualTo("denied: no allow rule matched; routes[0] requires time_of_day after 08:00 before 18:00"
                        + " (America/Los_Angeles), it is 20:00 in America/Los_Angeles");
    }
}
