package dev.portcullis.proxy.pages;

import dev.portcullis.proxy.failure.ProxyFailure;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every HTML page is the one layout: the same head, differing only in title, and a keyboard-usable body. */
class SharedLayoutTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static List<RenderedPage> everyPage() {
        return List.of(
                RenderedPage.of(ErrorPage.render(ALLOC, ProxyFailure.NO_ROUTE, "r", null)),
                RenderedPage.of(UserPage.render(ALLOC, TestSessions.alice(), "app.example", "/", null)),
                RenderedPage.of(ForbiddenPage.render(ALLOC, "r", null, TestSessions.alice(), "wiki", "wiki", List.of("reject"),
                        "/.pomerium/sign_out")),
                RenderedPage.of(SignInProblemPage.problem(ALLOC, ProxyFailure.SIGN_IN_EXPIRED, "r", null,
                        Optional.empty(), Optional.of("/"))),
                RenderedPage.of(SignedOutPage.render(ALLOC, "r", null, java.util.Optional.empty())));
    }

    private static String headWithoutTitle(RenderedPage page) {
        String body = page.body();
        String head = body.substring(0, body.indexOf("</head>"));
        return head.replaceAll("<title>.*</title>", "<title/>");
    }

    @Test
    void everyPageHasTheSameHead() {
        List<RenderedPage> pages = everyPage();
        pages.forEach(PageChecks::assertSharedLayout);
        assertThat(pages).extracting(SharedLayoutTest::headWithoutTitle).containsOnly(headWithoutTitle(pages.get(0)));
    }

    @Test
    void actionsAreRealLinksAndButtonsWithAVisibleFocus() {
        for (RenderedPage page : everyPage()) {
            page.elements("a").forEach(a -> assertThat(a.getAttribute("href")).isNotBlank());
            page.elements("button").forEach(b -> assertThat(b.getAttribute("type")).isEqualTo("submit"));
            assertThat(page.elements("a").size() + page.elements("button").size() + page.elements("p").size())
                    .isPositive();
            assertThat(page.textOf("style")).contains("a:focus-visible,button:focus-visible{outline:");
            assertThat(page.body()).doesNotContain("tabindex=\"-1\"").doesNotContain("outline:none")
                    .doesNotContain("outline:0");
        }
    }

    @Test
    void theLayoutIsFluidOnNarrowScreens() {
        String style = everyPage().get(0).textOf("style");
        assertThat(style).contains("max-width:40rem").contains("@media (max-width:30rem)");
        assertThat(style).doesNotContainPattern("[^-]width:\\d+px");
    }
}
