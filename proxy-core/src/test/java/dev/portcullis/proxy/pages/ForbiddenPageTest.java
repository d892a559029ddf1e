package dev.portcullis.proxy.pages;

import static dev.portcullis.proxy.pages.PageChecks.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.authn.session.Session;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class ForbiddenPageTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final String AGAIN = "https://authenticate.example/.pomerium/sign_in?pomerium_redirect_uri=x&prompt=login";

    private static RenderedPage html(Session who) {
        return RenderedPage.of(ForbiddenPage.render(ALLOC, "req-9", "text/html", who, "wiki.example:8443", "family wiki",
                List.of("groups-unauthorized"), AGAIN));
    }

    @Test
    void saysWhoIsRefusedWhereAndWhy() {
        RenderedPage page = html(TestSessions.alice());
        assertThat(page.status()).isEqualTo(403);
        PageChecks.assertSharedLayout(page);
        assertThat(page.textOf("title")).isEqualTo("Access denied");
        assertThat(page.textOf("h1")).isEqualTo("Access denied");
        assertThat(page.text())
                .contains("Signed in as Alice Liddell (alice@example.com).")
                .contains("You may not open wiki.example:8443 (route family wiki).")
                .contains("groups-unauthorized The policy does not allow your groups.")
                .contains("Request ID: req-9");
        assertThat(page.header("x-request-id")).isEqualTo("req-9");
    }

    @Test
    void namesTheHostAsTheBrowserAskedForItAndTheRouteOnlyWhenNamedOtherwise() {
        RenderedPage page = RenderedPage.of(ForbiddenPage.render(ALLOC, "req-9", "text/html", TestSessions.alice(),
                "wiki.example:8443", "wiki.example", List.of("email-unauthorized"), AGAIN));
        assertThat(page.text()).contains("You may not open wiki.example:8443.").doesNotContain("(route");
    }

    @Test
    void linksToSignInAsSomeoneElse() {
        RenderedPage page = html(TestSessions.alice());
        assertThat(page.elements("a")).singleElement().satisfies(a -> {
            assertThat(a.getAttribute("href")).isEqualTo(AGAIN);
            assertThat(a.getTextContent()).isEqualTo("Sign in as someone else");
        });
        assertThat(page.body()).contains("&amp;prompt=login");
    }

    @Test
    void fallsBackToTheEmailThenTheUserId() {
        assertThat(html(TestSessions.session("u-1", "bob@example.com", null, List.of(), Map.of())).text())
                .contains("Signed in as bob@example.com.");
        assertThat(html(TestSessions.session("u-1", null, null, List.of(), Map.of())).text())
                .contains("Signed in as u-1.");
        assertThat(html(TestSessions.session("u-1", null, "Bob", List.of(), Map.of())).text())
                .contains("Signed in as Bob (u-1).");
    }

    @Test
    void everythingShownIsEscaped() {
        Session who = TestSessions.session(HOSTILE, HOSTILE, HOSTILE, List.of(HOSTILE), Map.of());
        RenderedPage page = RenderedPage.of(ForbiddenPage.render(ALLOC, HOSTILE, null, who, HOSTILE, HOSTILE + "!", List.of(HOSTILE),
                "/.pomerium/sign_in?x=\"><script>alert(1)</script>"));
        PageChecks.assertSharedLayout(page);
        PageChecks.assertShownAsText(page, "main");
        assertThat(page.text()).contains("Signed in as " + HOSTILE + " (" + HOSTILE + ")")
                .contains("You may not open " + HOSTILE + " (route " + HOSTILE + "!)").contains("Request ID: " + HOSTILE);
        assertThat(page.elements("li")).extracting(Element::getTextContent).singleElement().asString()
                .startsWith(HOSTILE);
        assertThat(page.elements("a")).singleElement().extracting(a -> a.getAttribute("href"))
                .isEqualTo("/.pomerium/sign_in?x=\"><script>alert(1)</script>");
    }

    @Test
    void refusesALinkThatIsNotAWebAddress() {
        assertThatThrownBy(() -> ForbiddenPage.render(ALLOC, "r", null, TestSessions.alice(), "wiki", "wiki", List.of(),
                "javascript:alert(document.cookie)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("javascript");
    }

    @Test
    void answersJsonWhenPreferred() {
        RenderedPage page = RenderedPage.of(ForbiddenPage.render(ALLOC, "req-9", "application/json",
                TestSessions.alice(), "wiki.example:8443", "wiki", List.of("email-unauthorized", "groups-unauthorized"), AGAIN));
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        JsonNode json = page.json();
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("error", "request_id", "host", "route", "user", "email", "reasons", "sign_in_url");
        assertThat(json.get("host").asText()).isEqualTo("wiki.example:8443");
        assertThat(json.get("error").asText()).isEqualTo("forbidden");
        assertThat(json.get("request_id").asText()).isEqualTo("req-9");
        assertThat(json.get("route").asText()).isEqualTo("wiki");
        assertThat(json.get("user").asText()).isEqualTo("alice-id");
        assertThat(json.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(json.get("reasons")).extracting(JsonNode::asText)
                .containsExactly("email-unauthorized", "groups-unauthorized");
        assertThat(json.get("sign_in_url").asText()).isEqualTo(AGAIN);
    }
}
