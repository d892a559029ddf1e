package dev.portcullis.proxy.pages;

import static dev.portcullis.proxy.pages.PageChecks.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignedOutPageTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    @Test
    void saysYouAreSignedOut() {
        RenderedPage page = RenderedPage.of(SignedOutPage.render(ALLOC, "req-1", null, Optional.empty()));
        assertThat(page.status()).isEqualTo(200);
        PageChecks.assertSharedLayout(page);
        assertThat(page.textOf("h1")).isEqualTo("You are signed out");
        assertThat(page.text()).contains("Request ID: req-1");
        assertThat(page.header("x-request-id")).isEqualTo("req-1");
    }

    @Test
    void theRequestIdIsEscaped() {
        RenderedPage page = RenderedPage.of(SignedOutPage.render(ALLOC, HOSTILE, "text/html", Optional.empty()));
        PageChecks.assertShownAsText(page, "main");
    }

    @Test
    void answersJsonWhenPreferred() {
        RenderedPage page = RenderedPage.of(SignedOutPage.render(ALLOC, "req-1", "application/json", Optional.empty()));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        assertThat(page.body()).isEqualTo("{\"signed_out\":true}\n");
    }

    @Test
    void offersToSignInAgainWhereTheSignOutBegan() {
        String url = "https://authenticate.example/.pomerium/sign_in?pomerium_redirect_uri=https%3A%2F%2Fapp.example%2F";
        RenderedPage page = RenderedPage.of(SignedOutPage.render(ALLOC, "req-1", "text/html", Optional.of(url)));
        assertThat(page.elements("a")).singleElement().satisfies(a -> {
            assertThat(a.getAttribute("href")).isEqualTo(url);
            assertThat(a.getTextContent()).isEqualTo("Sign in again");
        });
    }
}
