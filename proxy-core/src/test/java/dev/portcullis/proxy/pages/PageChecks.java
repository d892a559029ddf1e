package dev.portcullis.proxy.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;

/** What every HTML page of the proxy must be, whatever it shows. */
final class PageChecks {
    /** A value a hostile user, provider or policy author could put anywhere a page shows text. */
    static final String HOSTILE = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;";

    private PageChecks() {}

    /**
     * Self-contained, phone-readable, uncached HTML in the one shared layout: viewport meta,
     * inline style only, no script, no element that loads anything, URLs only in links and forms.
     */
    static void assertSharedLayout(RenderedPage page) {
        assertThat(page.header("content-type")).isEqualTo("text/html; charset=utf-8");
        assertThat(page.header("cache-control")).isEqualTo("no-store");
        assertThat(page.header("x-content-type-options")).isEqualTo("nosniff");
        assertThat(page.header("content-security-policy")).isEqualTo(PageResponse.CONTENT_SECURITY_POLICY);
        assertThat(page.header("content-length")).isEqualTo(
                String.valueOf(page.body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(page.body()).startsWith("<!DOCTYPE html>\n<html lang=\"en\">");

        Document document = page.html();
        Element root = document.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("html");
        assertThat(page.elements("meta")).anySatisfy(meta -> assertThat(meta.getAttribute("charset")).isEqualTo("utf-8"));
        assertThat(page.elements("meta")).anySatisfy(meta -> {
            assertThat(meta.getAttribute("name")).isEqualTo("viewport");
            assertThat(meta.getAttribute("content")).contains("width=device-width");
        });
        assertThat(page.elements("title")).hasSize(1);
        assertThat(page.elements("main")).hasSize(1);
        assertThat(page.elements("h1")).hasSize(1);
        List<Element> styles = page.elements("style");
        assertThat(styles).hasSize(1);
        assertThat(styles.get(0).getTextContent()).doesNotContain("url(", "@import", "http");

        for (String loader : List.of("script", "link", "img", "iframe", "object", "embed", "base", "frame",
                "audio", "video", "source", "svg")) {
            assertThat(page.elements(loader)).as("<%s> elements", loader).isEmpty();
        }
        NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            Element element = (Element) all.item(i);
            NamedNodeMap attributes = element.getAttributes();
            for (int j = 0; j < attributes.getLength(); j++) {
                Attr attribute = (Attr) attributes.item(j);
                String name = attribute.getName();
                assertThat(name).as("event handler attribute on <%s>", element.getTagName()).doesNotStartWith("on");
                assertThat(name).as("inline style attribute").isNotEqualTo("style");
                boolean link = (element.getTagName().equals("a") && name.equals("href"))
                        || (element.getTagName().equals("form") && name.equals("action"));
                if (!link) {
                    assertThat(attribute.getValue()).as("%s on <%s>", name, element.getTagName())
                            .doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:");
                }
            }
        }
        assertThat(page.body()).doesNotContainIgnoringCase("<script").doesNotContainIgnoringCase("<link")
                .doesNotContainIgnoringCase("<img");
    }

    /**
     * {@link #HOSTILE} arrived as text: the reader sees it literally, and it made no element. The
     * raw body holds it only escaped.
     */
    static void assertShownAsText(RenderedPage page, String shownIn) {
        assertThat(page.textOf(shownIn)).contains(HOSTILE);
        assertThat(page.body()).doesNotContain(HOSTILE).contains(ErrorPage.escape(HOSTILE));
        assertThat(page.elements("script")).isEmpty();
        assertThat(page.elements("img")).isEmpty();
    }
}
