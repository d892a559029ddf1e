package dev.portcullis.proxy.pages;

import static dev.portcullis.proxy.pages.PageChecks.HOSTILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portcullis.authn.session.Session;
import io.netty.buffer.ByteBufAllocator;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

class UserPageTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;
    private static final Instant NOW = Instant.parse("2025-03-01T08:40:00Z");

    private static RenderedPage html(Session session) {
        return RenderedPage.of(UserPage.render(ALLOC, session, "app.example:8443", "/", "text/html", NOW));
    }

    private static String fact(RenderedPage page, String term) {
        List<Element> terms = page.elements("dt");
        List<Element> definitions = page.elements("dd");
        for (int i = 0; i < terms.size(); i++) {
            if (terms.get(i).getTextContent().equals(term)) {
                return definitions.get(i).getTextContent();
            }
        }
        throw new AssertionError("no fact " + term + " in " + page.body());
    }

    @Test
    void showsWhoIsSignedIn() {
        RenderedPage page = html(TestSessions.alice());
        assertThat(page.status()).isEqualTo(200);
        PageChecks.assertSharedLayout(page);
        assertThat(page.textOf("h1")).isEqualTo("Signed in");
        assertThat(page.text()).contains("app.example:8443");
        assertThat(fact(page, "Name")).isEqualTo("Alice Liddell");
        assertThat(fact(page, "Email")).isEqualTo("alice@example.com");
        assertThat(fact(page, "User ID")).isEqualTo("alice-id");
        assertThat(page.elements("li")).extracting(Element::getTextContent).containsExactly("family", "admins");
        assertThat(page.header("x-request-id")).isNull();
    }

    @Test
    void showsWhenTheSessionWasIssuedAndWhenItExpires() {
        RenderedPage page = html(TestSessions.alice());
        assertThat(fact(page, "Signed in")).isEqualTo("2025-03-01T08:00:00Z (40 min ago)");
        assertThat(fact(page, "Expires")).isEqualTo("2025-03-01T22:00:00Z (in 13 h 20 min)");
        assertThat(page.elements("time")).extracting(t -> t.getAttribute("datetime"))
                .containsExactly("2025-03-01T08:00:00Z", "2025-03-01T22:00:00Z");
    }

    @Test
    void showsEveryClaimWithNestedValuesAsCompactJson() {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("zoneinfo", "Europe/London");
        claims.put("address", Map.of("country", "UK"));
        claims.put("roles", List.of("a", "b"));
        claims.put("age", 42);
        claims.put("verified", true);
        claims.put("nothing", null);
        RenderedPage page = html(TestSessions.session("u", null, null, List.of(), claims));
        assertThat(page.elements("tr")).extracting(tr -> tr.getTextContent()).containsExactly(
                "ClaimValue",
                "address{\"country\":\"UK\"}",
                "age42",
                "nothingnull",
                "roles[\"a\",\"b\"]",
                "verifiedtrue",
                "zoneinfoEurope/London");
    }

    @Test
    void missingNameEmailGroupsAndClaimsAreSaidSo() {
        RenderedPage page = html(TestSessions.session("u-1", null, null, List.of(), Map.of()));
        assertThat(fact(page, "Name")).isEqualTo("not given");
        assertThat(fact(page, "Email")).isEqualTo("not given");
        assertThat(fact(page, "Groups")).isEqualTo("none");
        assertThat(page.text()).contains("The identity provider sent no further claims.");
        assertThat(page.elements("table")).isEmpty();
    }

    @Test
    void hasASignOutButtonThatPosts() {
        RenderedPage page = html(TestSessions.alice());
        assertThat(page.elements("form")).singleElement().satisfies(form -> {
            assertThat(form.getAttribute("method")).isEqualTo("post");
            assertThat(form.getAttribute("action")).isEqualTo("/.pomerium/sign_out");
            assertThat(form.getElementsByTagName("button").getLength()).isEqualTo(1);
        });
        assertThat(page.elements("button")).singleElement().satisfies(button -> {
            assertThat(button.getAttribute("type")).isEqualTo("submit");
            assertThat(button.getTextContent()).isEqualTo("Sign out");
        });
    }

    @Test
    void linksBackToTheApplicationItWasOpenedFrom() {
        RenderedPage page = html(TestSessions.alice());
        assertThat(page.elements("a")).filteredOn(a -> a.getTextContent().startsWith("Back to")).singleElement()
                .satisfies(a -> assertThat(a.getAttribute("href")).isEqualTo("/"));
    }

    @Test
    void theBackLinkLeadsToThePageTheUserCameFrom() {
        RenderedPage page = RenderedPage.of(UserPage.render(ALLOC, TestSessions.alice(), "app.example",
                "/photos/12?view=grid&x=\"<b>", "text/html", NOW));
        assertThat(page.elements("a")).filteredOn(a -> a.getTextContent().startsWith("Back to")).singleElement()
                .satisfies(a -> assertThat(a.getAttribute("href")).isEqualTo("/photos/12?view=grid&x=\"<b>"));
        assertThatThrownBy(() -> UserPage.render(ALLOC, TestSessions.alice(), "app.example", "//evil.example/", null, NOW))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UserPage.render(ALLOC, TestSessions.alice(), "app.example", "https://evil.example/", null, NOW))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everythingShownIsEscaped() {
        Session hostile = TestSessions.session(HOSTILE, HOSTILE, HOSTILE, List.of(HOSTILE),
                Map.of(HOSTILE, HOSTILE, "nested", Map.of(HOSTILE, List.of(HOSTILE))));
        RenderedPage page = RenderedPage.of(UserPage.render(ALLOC, hostile, HOSTILE, "/", null, NOW));
        PageChecks.assertSharedLayout(page);
        PageChecks.assertShownAsText(page, "main");
        assertThat(page.textOf("title")).contains(HOSTILE);
        assertThat(fact(page, "Name")).isEqualTo(HOSTILE);
        assertThat(fact(page, "Email")).isEqualTo(HOSTILE);
        assertThat(fact(page, "User ID")).isEqualTo(HOSTILE);
        assertThat(page.elements("tbody").get(0).getTextContent()).contains(HOSTILE + HOSTILE)
                .contains("{\"" + HOSTILE.replace("\"", "\\\"") + "\":[");
    }

    @Test
    void answersJsonWhenPreferred() {
        RenderedPage page = RenderedPage.of(UserPage.render(ALLOC, TestSessions.alice(), "app.example", "/",
                "application/json"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        JsonNode json = page.json();
        assertThat(json.fieldNames()).toIterable()
                .containsExactly("user", "email", "name", "groups", "claims", "issued_at", "expires_at");
        assertThat(json.get("user").asText()).isEqualTo("alice-id");
        assertThat(json.get("email").asText()).isEqualTo("alice@example.com");
        assertThat(json.get("name").asText()).isEqualTo("Alice Liddell");
        assertThat(json.get("groups")).extracting(JsonNode::asText).containsExactly("family", "admins");
        assertThat(json.get("claims").get("locale").asText()).isEqualTo("en-GB");
        assertThat(json.get("issued_at").asText()).isEqualTo("2025-03-01T08:00:00Z");
        assertThat(json.get("expires_at").asText()).isEqualTo("2025-03-01T22:00:00Z");
    }

    @Test
    void jsonKeepsMissingValuesAsNull() {
        RenderedPage page = RenderedPage.of(UserPage.render(ALLOC, TestSessions.session("u", null, null, null, null),
                "h", "/", "application/json"));
        JsonNode json = page.json();
        assertThat(json.get("email").isNull()).isTrue();
        assertThat(json.get("name").isNull()).isTrue();
        assertThat(json.get("groups").isArray()).isTrue();
        assertThat(json.get("claims").isObject()).isTrue();
    }

    @Test
    void userInfoIsTheGivenClaimsAsAJsonObjectInTheirOrder() {
        Map<String, Object> info = new java.util.LinkedHashMap<>();
        info.put("sub", "alice-id");
        info.put("groups", List.of("family", "admins"));
        info.put("email", "alice@example.com");
        RenderedPage page = RenderedPage.of(UserPage.userInfo(ALLOC, info));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        assertThat(page.json().fieldNames()).toIterable().containsExactly("sub", "groups", "email");
    }
}
