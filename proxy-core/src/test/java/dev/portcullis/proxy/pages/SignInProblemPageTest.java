package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static dev.portcullis.proxy.pages.PageChecks.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufAllocator;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SignInProblemPageTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final String RETRY = "https://authenticate.example/.pomerium/sign_in?pomerium_redirect_uri=https%3A%2F%2Fapp";

    @ParameterizedTest
    @EnumSource(value = ProxyFailure.class,
            names = {"SIGN_IN_PROVIDER_UNAVAILABLE", "SIGN_IN_REFUSED", "SIGN_IN_EXPIRED", "HANDOFF_REFUSED"})
    void rendersTheFailureWithATryAgainLink(ProxyFailure failure) {
        RenderedPage page = RenderedPage.of(SignInProblemPage.problem(ALLOC, failure, "req-3", null, Optional.empty(),
                Optional.of(RETRY)));
        assertThat(page.status()).isEqualTo(failure.status());
        PageChecks.assertSharedLayout(page);
        assertThat(page.textOf("h1")).isEqualTo(failure.status() + " " + failure.title());
        assertThat(page.text()).contains(failure.explanation()).contains("Request ID: req-3");
        assertThat(page.elements("a")).singleElement().satisfies(a -> {
            assertThat(a.getAttribute("href")).isEqualTo(RETRY);
            assertThat(a.getTextContent()).isEqualTo("Try again");
        });
        assertThat(page.header("x-request-id")).isEqualTo("req-3");
    }

    @Test
    void withoutARetryUrlThereIsNoLink() {
        RenderedPage page = RenderedPage.of(SignInProblemPage.problem(ALLOC, ProxyFailure.HANDOFF_REFUSED, "req-4",
                "text/html", Optional.empty(), Optional.empty()));
        assertThat(page.status()).isEqualTo(400);
        PageChecks.assertSharedLayout(page);
        assertThat(page.elements("a")).isEmpty();
        assertThat(page.text()).doesNotContain("Try again").doesNotContain("identity provider said");
    }

    @Test
    void showsWhatTheProviderSaidAsText() {
        RenderedPage page = RenderedPage.of(SignInProblemPage.problem(ALLOC, ProxyFailure.SIGN_IN_REFUSED, "req-5",
                null, Optional.of("access_denied: <b>user cancelled</b> " + HOSTILE), Optional.of(RETRY)));
        assertThat(page.status()).isEqualTo(403);
        PageChecks.assertSharedLayout(page);
        PageChecks.assertShownAsText(page, "main");
        assertThat(page.text()).contains("The identity provider said: access_denied: <b>user cancelled</b>");
        assertThat(page.body()).contains("&lt;b&gt;user cancelled").doesNotContain("<b>");
        assertThat(page.elements("b")).isEmpty();
    }

    @Test
    void aHostileRetryUrlStaysInItsAttribute() {
        RenderedPage page = RenderedPage.of(SignInProblemPage.problem(ALLOC, ProxyFailure.SIGN_IN_EXPIRED, HOSTILE,
                null, Optional.empty(), Optional.of("/.pomerium/sign_in?r=" + HOSTILE)));
        PageChecks.assertSharedLayout(page);
        PageChecks.assertShownAsText(page, "main");
        assertThat(page.elements("a")).singleElement().extracting(a -> a.getAttribute("href"))
                .isEqualTo("/.pomerium/sign_in?r=" + HOSTILE);
    }

    @Test
    void refusesARetryUrlThatIsNotAWebAddress() {
        assertThatThrownBy(() -> SignInProblemPage.problem(ALLOC, ProxyFailure.SIGN_IN_EXPIRED, "r", null,
                Optional.empty(), Optional.of("javascript:alert(1)")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answersJsonWhenPreferred() {
        RenderedPage page = RenderedPage.of(SignInProblemPage.problem(ALLOC, ProxyFailure.SIGN_IN_PROVIDER_UNAVAILABLE,
                "req-6", "application/json", Optional.of("server_error: " + HOSTILE), Optional.of(RETRY)));
        assertThat(page.status()).isEqualTo(502);
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        JsonNode json = page.json();
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("status", "error", "title", "message", "provider_error", "retry_url", "request_id");
        assertThat(json.get("status").asInt()).isEqualTo(502);
        assertThat(json.get("error").asText()).isEqualTo("idp_unavailable");
        assertThat(json.get("provider_error").asText()).isEqualTo("server_error: " + HOSTILE);
        assertThat(json.get("retry_url").asText()).isEqualTo(RETRY);
        assertThat(json.get("request_id").asText()).isEqualTo("req-6");
    }

    @Test
    void jsonLeavesOutWhatIsAbsent() {
        RenderedPage page = RenderedPage.of(SignInProblemPage.problem(ALLOC, ProxyFailure.HANDOFF_REFUSED, "req-7",
                "application/json", Optional.empty(), Optional.empty()));
        assertThat(page.json().fieldNames()).toIterable()
                .containsExactly("status", "error", "title", "message", "request_id");
    }
}
