package dev.portcullis.proxy.pages;

import static dev.portcullis.proxy.pages.PageChecks.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class BuiltinSignInPageTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final BuiltinSignInPage.Attempt ATTEMPT =
            new BuiltinSignInPage.Attempt("state-1", "nonce-1", Optional.of("app.example.com"));

    private static Element input(RenderedPage page, String name) {
        return page.elements("input").stream().filter(e -> e.getAttribute("name").equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no input " + name));
    }

    @Test
    void thePasswordFormIsLabelledFocusedAndCarriesTheAttempt() {
        RenderedPage page = RenderedPage.of(BuiltinSignInPage.password(ALLOC, "req-1", ATTEMPT, "", Optional.empty(),
                Optional.empty()));
        assertThat(page.status()).isEqualTo(200);
        PageChecks.assertSharedLayout(page);
        assertThat(page.textOf("h1")).isEqualTo("Sign in");
        assertThat(page.text()).contains("to continue to app.example.com");
        Element form = page.elements("form").get(0);
        assertThat(form.getAttribute("method")).isEqualTo("post");
        assertThat(form.getAttribute("action")).isEqualTo("/.pomerium/builtin/sign_in");
        assertThat(input(page, "email").getAttribute("autocomplete")).isEqualTo("username");
        assertThat(input(page, "email").getAttribute("type")).isEqualTo("email");
        assertThat(input(page, "email").hasAttribute("autofocus")).isTrue();
        assertThat(input(page, "password").getAttribute("autocomplete")).isEqualTo("current-password");
        assertThat(input(page, "password").getAttribute("type")).isEqualTo("password");
        assertThat(page.elements("label")).extracting(l -> l.getAttribute("for")).containsExactly("email", "password");
        assertThat(input(page, "state").getAttribute("value")).isEqualTo("state-1");
        assertThat(input(page, "nonce").getAttribute("value")).isEqualTo("nonce-1");
        assertThat(page.elements("button")).singleElement()
                .satisfies(b -> assertThat(b.getAttribute("type")).isEqualTo("submit"));
    }

    @Test
    void aRefusalKeepsTheEmailFocusesThePasswordAndSaysOneThing() {
        RenderedPage page = RenderedPage.of(BuiltinSignInPage.password(ALLOC, "req-1", ATTEMPT, "alice@example.com",
                Optional.of(BuiltinSignInPage.REFUSED), Optional.empty()));
        assertThat(page.status()).isEqualTo(200);
        PageChecks.assertSharedLayout(page);
        assertThat(input(page, "email").getAttribute("value")).isEqualTo("alice@example.com");
        assertThat(input(page, "email").hasAttribute("autofocus")).isFalse();
        assertThat(input(page, "password").hasAttribute("autofocus")).isTrue();
        assertThat(input(page, "password").hasAttribute("value")).isFalse();
        assertThat(page.elements("p")).anySatisfy(p -> {
            assertThat(p.getAttribute("role")).isEqualTo("alert");
            assertThat(p.getTextContent()).isEqualTo("The email address or password is not right.");
        });
    }

    @Test
    void throttlingIs429WithRetryAfterInWholeSeconds() {
        Duration wait = Duration.ofMillis(1500);
        RenderedPage page = RenderedPage.of(BuiltinSignInPage.password(ALLOC, "req-1", ATTEMPT, "a@example.com",
                Optional.of(BuiltinSignInPage.throttledMessage(wait)), Optional.of(wait)));
        assertThat(page.status()).isEqualTo(429);
        assertThat(page.header("retry-after")).isEqualTo("2");
        assertThat(page.text()).contains("Wait 2 seconds, then try again.");
        assertThat(BuiltinSignInPage.throttledMessage(Duration.ofMinutes(4))).contains("Wait 4 minutes");
    }

    @Test
    void theCodeFormAsksForSixDigitsWithTheTicket() {
        RenderedPage page = RenderedPage.of(BuiltinSignInPage.code(ALLOC, "req-1", ATTEMPT, "ticket-1"));
        assertThat(page.status()).isEqualTo(200);
        PageChecks.assertSharedLayout(page);
        assertThat(page.elements("form").get(0).getAttribute("action")).isEqualTo("/.pomerium/builtin/totp");
        Element code = input(page, "code");
        assertThat(code.getAttribute("autocomplete")).isEqualTo("one-time-code");
        assertThat(code.getAttribute("inputmode")).isEqualTo("numeric");
        assertThat(code.getAttribute("pattern")).isEqualTo("[0-9]{6}");
        assertThat(code.hasAttribute("autofocus")).isTrue();
        assertThat(input(page, "ticket").getAttribute("value")).isEqualTo("ticket-1");
        assertThat(input(page, "state").getAttribute("value")).isEqualTo("state-1");
    }

    @Test
    void whatThePersonTypedIsShownAsText() {
        RenderedPage page = RenderedPage.of(BuiltinSignInPage.password(ALLOC, "req-1",
                new BuiltinSignInPage.Attempt(HOSTILE, HOSTILE, Optional.of(HOSTILE)), HOSTILE,
                Optional.of(HOSTILE), Optional.empty()));
        PageChecks.assertShownAsText(page, "main");
        assertThat(input(page, "email").getAttribute("value")).isEqualTo(HOSTILE);
        assertThat(input(page, "state").getAttribute("value")).isEqualTo(HOSTILE);
    }
}
