package dev.portcullis.config.internal.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlaceholderTextTest {

    @Test
    void theGuidesPlaceholdersAndObviouslyFakeIdsAreRecognised() {
        assertThat(PlaceholderText.isPlaceholder("your.email.address@gmail.com")).isTrue();
        assertThat(PlaceholderText.isPlaceholder("CHANGE_ME")).isTrue();
        assertThat(PlaceholderText.isPlaceholder("REPLACE_ME")).isTrue();
        assertThat(PlaceholderText.isPlaceholder("xxxxx")).isTrue();
        assertThat(PlaceholderText.isPlaceholder("XXXXXXXX.apps.googleusercontent.com")).isTrue();
        assertThat(PlaceholderText.isPlaceholder("<client-id>")).isTrue();
    }

    @Test
    void realValuesAreNot() {
        assertThat(PlaceholderText.isPlaceholder("alice@gmail.com")).isFalse();
        assertThat(PlaceholderText.isPlaceholder("123-abc.apps.googleusercontent.com")).isFalse();
        assertThat(PlaceholderText.isPlaceholder("xxx")).isFalse();
        assertThat(PlaceholderText.isPlaceholder("change_me_later_maybe")).isFalse();
        assertThat(PlaceholderText.isPlaceholder("a<b>c")).isFalse();
    }
}
