package dev.portcullis.config.internal.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuidePlaceholdersTest {

    @Test
    void theGuidesPlaceholdersAndObviouslyFakeIdsAreRecognised() {
        assertThat(GuidePlaceholders.isPlaceholder("your.email.address@gmail.com")).isTrue();
        assertThat(GuidePlaceholders.isPlaceholder("CHANGE_ME")).isTrue();
        assertThat(GuidePlaceholders.isPlaceholder("REPLACE_ME")).isTrue();
        assertThat(GuidePlaceholders.isPlaceholder("xxxxx")).isTrue();
        assertThat(GuidePlaceholders.isPlaceholder("XXXXXXXX.apps.googleusercontent.com")).isTrue();
        assertThat(GuidePlaceholders.isPlaceholder("<client-id>")).isTrue();
    }

    @Test
    void realValuesAreNot() {
        assertThat(GuidePlaceholders.isPlaceholder("alice@gmail.com")).isFalse();
        assertThat(GuidePlaceholders.isPlaceholder("123-abc.apps.googleusercontent.com")).isFalse();
        assertThat(GuidePlaceholders.isPlaceholder("xxx")).isFalse();
        assertThat(GuidePlaceholders.isPlaceholder("change_me_later_maybe")).isFalse();
        assertThat(GuidePlaceholders.isPlaceholder("a<b>c")).isFalse();
    }
}
