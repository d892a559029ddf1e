package dev.portcullis.proxy.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogFormatTest {

    @Test
    void unsetIsReadableLinesOnATerminalAndJsonOtherwise() {
        assertThat(LogFormat.chosen("", true)).isEqualTo(LogFormat.CONSOLE);
        assertThat(LogFormat.chosen(null, true)).isEqualTo(LogFormat.CONSOLE);
        assertThat(LogFormat.chosen("", false)).isEqualTo(LogFormat.JSON);
    }

    @Test
    void aChosenFormatWinsWhereverTheLinesGo() {
        assertThat(LogFormat.chosen("json", true)).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.chosen("Console", false)).isEqualTo(LogFormat.CONSOLE);
    }
}
