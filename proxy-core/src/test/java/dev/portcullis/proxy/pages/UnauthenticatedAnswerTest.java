package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static dev.portcullis.proxy.pages.PageChecks.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

class UnauthenticatedAnswerTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void answers401WithTheSignInUrlAndABearerChallenge() {
        String signIn = "https://authenticate.example/.pomerium/sign_in?pomerium_redirect_uri=https%3A%2F%2Fapi";
        RenderedPage page = RenderedPage.of(UnauthenticatedAnswer.render(ALLOC, "req-1", signIn));
        assertThat(page.status()).isEqualTo(401);
        assertThat(page.header("www-authenticate")).isEqualTo("Bearer realm=\"portcullis\"");
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        assertThat(page.header("x-request-id")).isEqualTo("req-1");
        assertThat(page.header("content-length")).isEqualTo(String.valueOf(page.body().length()));
        JsonNode json = page.json();
        assertThat(json.fieldNames()).toIterable().containsExactly("error", "message", "sign_in_url", "request_id");
        assertThat(json.get("error").asText()).isEqualTo("unauthenticated");
        assertThat(json.get("message").asText()).isEqualTo(ProxyFailure.UNAUTHENTICATED.explanation());
        assertThat(json.get("sign_in_url").asText()).isEqualTo(signIn);
        assertThat(json.get("request_id").asText()).isEqualTo("req-1");
    }

    @Test
    void hostileValuesStayInsideTheirJsonStrings() {
        RenderedPage page = RenderedPage.of(UnauthenticatedAnswer.render(ALLOC, HOSTILE, HOSTILE));
        JsonNode json = page.json();
        assertThat(json.size()).isEqualTo(4);
        assertThat(json.get("sign_in_url").asText()).isEqualTo(HOSTILE);
        assertThat(json.get("request_id").asText()).isEqualTo(HOSTILE);
    }
}
