package dev.portcullis.config.internal.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1} ms")
    @CsvSource({
        "30s, 30000", "1m30s, 90000", "14h, 50400000", "500ms, 500", "1h2m3.5s, 3723500", "0, 0", "0s, 0",
        "1.5h, 5400000", ".5s, 500", "2000us, 2", "2000µs, 2", "1000000ns, 1", "-1s, -1000", "+5m, 300000"})
    void readsGoSyntax(String text, long millis) {
        assertThat(GoDuration.parse(text)).contains(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "1.5", "", "s", "1d", "1H", "1 h", "h1", "1h-2m", "1m30", "thirty seconds"})
    void refusesAnythingElse(String text) {
        assertThat(GoDuration.parse(text)).isEmpty();
    }
}
