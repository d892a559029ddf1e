package dev.portcullis.proxy.pages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PageLayoutTest {

    @Test
    void escapingCoversMarkupAndBothQuotes() {
        assertThat(PageLayout.escape("<a href=\"x\" title='y'>&</a>"))
                .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
        assertThat(ErrorPage.escape("<b>")).isEqualTo("&lt;b&gt;");
        assertThat(PageLayout.escape("Zoë 日本 😀\tline\n")).isEqualTo("Zoë 日本 😀\tline\n");
    }

    @Test
    void controlCharactersAreReplacedNotPassedOn() {
        assertThat(PageLayout.escape("a\u0000b\u001bc\u007fd\u0085e")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
    }

    @Test
    void linksMayLeadToWebAddressesAndPathsOnly() {
        assertThat(PageLayout.checkedLinkTarget("https://authenticate.example/.pomerium/sign_in?x=1"))
                .startsWith("https://");
        assertThat(PageLayout.checkedLinkTarget("HTTP://a.example/")).startsWith("HTTP://");
        assertThat(PageLayout.checkedLinkTarget("/.pomerium/sign_out")).isEqualTo("/.pomerium/sign_out");
        assertThat(PageLayout.checkedLinkTarget("/a?next=javascript:alert(1)")).startsWith("/a");
        assertThatThrownBy(() -> PageLayout.checkedLinkTarget("javascript:alert(1)"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: http, https or a path");
        assertThatThrownBy(() -> PageLayout.checkedLinkTarget("JavaScript:alert(1)"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PageLayout.checkedLinkTarget("data:text/html,<script>"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buttonLinksEscapeTheirTarget() {
        assertThat(PageLayout.buttonLink("https://a.example/?q=\"><script>", "Go"))
                .isEqualTo("<a class=\"button\" href=\"https://a.example/?q=&quot;&gt;&lt;script&gt;\">Go</a>");
    }

    @Test
    void theDocumentIsOneSkeletonWithInlineStyle() {
        String page = PageLayout.document("T <1>", "<p>x</p>");
        assertThat(page).startsWith("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
                .contains("<title>T &lt;1&gt;</title>")
                .contains("<style>").contains(":focus-visible")
                .contains("<body><main><p>x</p></main></body></html>");
    }
}
