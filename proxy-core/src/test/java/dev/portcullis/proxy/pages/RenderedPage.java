package dev.portcullis.proxy.pages;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXParseException;

/**
 * A response as a client receives it: status, headers and body, read once, after which the
 * Netty response is released (and checked to be released), so no test can leak it.
 *
 * <p>The pages are polyglot markup (HTML5 that is also well-formed XML), so {@link #html()} reads
 * them with the JDK's XML parser, which refuses anything malformed: an unescaped {@code <} in a
 * shown value would fail the parse or show up as an element.
 */
record RenderedPage(int status, HttpHeaders headers, String body) {
    private static final ObjectMapper JSON = new ObjectMapper();

    static RenderedPage of(FullHttpResponse response) {
        try {
            return new RenderedPage(response.status().code(), response.headers().copy(),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            assertThat(response.release()).as("the response is released by its last reader").isTrue();
            assertThat(response.refCnt()).isZero();
        }
    }

    String header(CharSequence name) {
        return headers.get(name);
    }

    JsonNode json() {
        assertThat(header("content-type")).isEqualTo("application/json");
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    Document html() {
        assertThat(header("content-type")).isEqualTo("text/html; charset=utf-8");
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) throws SAXParseException {
                    throw e;
                }

                @Override
                public void error(SAXParseException e) throws SAXParseException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXParseException {
                    throw e;
                }
            });
            return builder.parse(new InputSource(new StringReader(body)));
        } catch (Exception e) {
            throw new AssertionError("not well-formed markup: " + e.getMessage() + "\n" + body, e);
        }
    }

    /** Every element named {@code tag}, in document order. */
    List<Element> elements(String tag) {
        NodeList nodes = html().getElementsByTagName(tag);
        List<Element> found = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            found.add((Element) nodes.item(i));
        }
        return found;
    }

    /** The text of the first element named {@code tag}, whitespace collapsed. */
    String textOf(String tag) {
        List<Element> found = elements(tag);
        assertThat(found).as("<%s> elements", tag).isNotEmpty();
        return found.get(0).getTextContent().replaceAll("\\s+", " ").trim();
    }

    /** What a reader sees: the text of {@code <main>}, entities decoded, whitespace collapsed. */
    String text() {
        return textOf("main");
    }
}
