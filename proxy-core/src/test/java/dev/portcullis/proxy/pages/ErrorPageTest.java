package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static dev.portcullis.proxy.pages.PageChecks.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ErrorPageTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final String BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

    @ParameterizedTest
    @EnumSource(ProxyFailure.class)
    void everyFailureHasAPageInTheSharedLayout(ProxyFailure failure) {
        RenderedPage page = RenderedPage.of(ErrorPage.render(ALLOC, failure, "req-1", BROWSER));
        assertThat(page.status()).isEqualTo(failure.status());
        PageChecks.assertSharedLayout(page);
        assertThat(page.textOf("title")).isEqualTo(failure.status() + " " + failure.title());
        assertThat(page.textOf("h1")).isEqualTo(failure.status() + " " + failure.title());
        assertThat(page.text()).contains(failure.explanation()).contains("Request ID: req-1");
        assertThat(page.header("x-request-id")).isEqualTo("req-1");
    }

    @ParameterizedTest
    @EnumSource(ProxyFailure.class)
    void everyFailureHasAJsonAnswer(ProxyFailure failure) {
        RenderedPage page = RenderedPage.of(ErrorPage.render(ALLOC, failure, "req-1", "application/json"));
        assertThat(page.status()).isEqualTo(failure.status());
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        JsonNode json = page.json();
        assertThat(json.get("status").asInt()).isEqualTo(failure.status());
        assertThat(json.get("error").asText()).isEqualTo(failure.tag());
        assertThat(json.get("title").asText()).isEqualTo(failure.title());
        assertThat(json.get("message").asText()).isEqualTo(failure.explanation());
        assertThat(json.get("request_id").asText()).isEqualTo("req-1");
        assertThat(json.has("reasons")).isFalse();
    }

    @Test
    void reasonsAreListedAsWordsWithPlainWords() {
        RenderedPage page = RenderedPage.of(ErrorPage.render(ALLOC, ProxyFailure.FORBIDDEN, "req-2", null,
                List.of("email-unauthorized", "http-method-ok")));
        PageChecks.assertSharedLayout(page);
        assertThat(page.body()).contains("<li><code>email-unauthorized</code> ");
        assertThat(page.elements("li")).extracting(li -> li.getTextContent()).containsExactly(
                "email-unauthorized The policy does not allow your email address.",
                "http-method-ok A rule about the request method matched.");
    }

    @Test
    void reasonsAreEscaped() {
        RenderedPage page = RenderedPage.of(ErrorPage.render(ALLOC, ProxyFailure.FORBIDDEN, HOSTILE, BROWSER,
                List.of(HOSTILE)));
        PageChecks.assertShownAsText(page, "ul");
        assertThat(page.text()).contains("Request ID: " + HOSTILE);
    }

    @Test
    void reasonsAreInTheJsonAnswerAsTheyAre() {
        RenderedPage page = RenderedPage.of(ErrorPage.render(ALLOC, ProxyFailure.FORBIDDEN, "r", "application/json",
                List.of("groups-unauthorized", HOSTILE)));
        assertThat(page.json().get("reasons")).extracting(JsonNode::asText).containsExactly("groups-unauthorized", HOSTILE);
        assertThat(page.body()).doesNotContain("<li>");
    }

    @Test
    void jsonIsChosenOnlyWhenPreferredOverHtml() {
        assertThat(ErrorPage.prefersJson(null)).isFalse();
        assertThat(ErrorPage.prefersJson("*/*")).isFalse();
        assertThat(ErrorPage.prefersJson(BROWSER)).isFalse();
        assertThat(ErrorPage.prefersJson("application/json")).isTrue();
        assertThat(ErrorPage.prefersJson("Application/JSON, text/html")).isTrue();
        assertThat(ErrorPage.prefersJson("text/html, application/json")).isFalse();
    }

    @Test
    void everyPolicyReasonWordHasPlainWords() {
        List<String> words = List.of("accept", "reject", "claim-ok", "claim-unauthorized", "client-certificate-ok",
                "client-certificate-required", "client-certificate-unauthorized", "cors-request", "date-ok",
                "date-unauthorized", "day-of-week-ok", "day-of-week-unauthorized", "domain-ok", "domain-unauthorized",
                "email-ok", "email-unauthorized", "groups-ok", "groups-unauthorized", "http-method-ok",
                "http-method-unauthorized", "http-path-ok", "http-path-unauthorized", "invalid-client-certificate",
                "non-cors-request", "source-ip-ok", "source-ip-unauthorized", "time-of-day-ok",
                "time-of-day-unauthorized", "user-ok", "user-unauthenticated", "user-unauthorized",
                "valid-client-certificate");
        assertThat(words).allSatisfy(word -> assertThat(PolicyReasons.plainWords(word))
                .as(word).isNotEqualTo(PolicyReasons.plainWords("some-new-word")).endsWith("."));
        assertThat(PolicyReasons.plainWords("user-unauthenticated")).isEqualTo("You are not signed in.");
        assertThat(PolicyReasons.plainWords(HOSTILE)).isEqualTo("A rule of the route's policy decided.");
    }
}
