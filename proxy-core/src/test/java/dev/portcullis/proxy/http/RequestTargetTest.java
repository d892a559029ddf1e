package dev.portcullis.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one canonical request target that proxy mode and forward-auth checks share: each rule of
 * {@link RequestTarget}, with the ways around a path rule that were found in practice.
 */
class RequestTargetTest {

    /** The request line as Netty hands it over: each byte one character (ISO-8859-1). */
    private static String asReceived(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String canonical(String raw) throws RequestTarget.InvalidRequestTargetException {
        return RequestTarget.parse(raw).path();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "/public/../admin | /admin",
            "/public/%2e%2e/admin | /admin",
            "/public/%2E%2E/admin | /admin",
            "/public/.%2e/admin | /admin",
            "/../../admin | /admin",
            "//admin | /admin",
            "/public//x | /public/x",
            "/public/./x | /public/x",
            "/public/x/. | /public/x/",
            "/public/x/.. | /public/",
            "/public/ | /public/",
            "/ | /",
            "/public#/../admin | /public",
            "/%7euser | /~user",
            "http://evil.example/public/../admin | /admin",
            "HTTPS://evil.example | /"})
    void removesDotSegmentsAndMergesSlashes(String raw, String path) throws Exception {
        assertThat(canonical(raw)).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "/%61dmin | /admin",
            "/%41DMIN | /ADMIN",
            "/%40admin | /@admin",
            "/a%3ab | /a:b",
            "/a%21%24%26%27%28%29%2a%2b%2c%3d | /a!$&'()*+,=",
            "/a%7cb | /a%7Cb",
            "/a%7Cb | /a%7Cb",
            "/a[b]^`{}c | /a%5Bb%5D%5E%60%7B%7Dc",
            "/a%20b | /a%20b",
            "/100%25.txt | /100%25.txt",
            "/100%25 | /100%25",
            "/a%3fb%23c | /a%3Fb%23c",
            "/x/%3B | /x/%3B",
            "/x/a%3bb | /x/a%3Bb",
            "/caf%c3%a9.txt | /caf%C3%A9.txt",
            "/caf%C3%A9.txt | /caf%C3%A9.txt",
            "/%e2%82%ac | /%E2%82%AC",
            "/%F0%9F%98%80 | /%F0%9F%98%80",
            "/%F4%8F%BF%BF | /%F4%8F%BF%BF"})
    void writesEveryPathInOneSpelling(String raw, String path) throws Exception {
        assertThat(canonical(raw)).isEqualTo(path);
    }

    @Test
    void rawCharactersThatMayNotStandForThemselvesAreEscaped() throws Exception {
        assertThat(canonical("/a\"b<c>d")).isEqualTo("/a%22b%3Cc%3Ed");
        assertThat(canonical("/a|b")).isEqualTo("/a%7Cb").isEqualTo(canonical("/a%7cb"));
    }

    @ParameterizedTest(name = "raw UTF-8 {0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "/café.txt | /caf%C3%A9.txt",
            "/€ | /%E2%82%AC",
            "/日本 | /%E6%97%A5%E6%9C%AC",
            "/😀 | /%F0%9F%98%80",
            "/caf%C3%A9/é | /caf%C3%A9/%C3%A9"})
    void rawUtf8BytesBecomeEscapes(String raw, String path) throws Exception {
        assertThat(canonical(asReceived(raw))).isEqualTo(path);
    }

    @Test
    void aMixOfEscapedAndRawBytesOfOneCharacterIsOneCharacter() throws Exception {
        assertThat(canonical("/caf%C3" + (char) 0xA9)).isEqualTo("/caf%C3%A9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%2fadmin", "/%2Fadmin", "/%2F%2Fadmin", "/.%2fadmin", "/%2e%2fadmin", "/public%2Fadmin",
            "/public/a%2fb", "/public/..%2Fadmin", "/public%2F..%2Fadmin", "/public/%2e%2e%2fadmin", "/a/b%2F",
            "/%5cadmin", "/%5Cadmin", "/public/..%5Cadmin", "/a%5cb",
            "/\\admin", "/public\\..\\admin", "/a\\b"})
    void refusesEscapedSlashesAndBackslashesAnywhere(String raw) {
        assertRefused(raw, "slash");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/public/..;/admin", "/admin;x=1", "/admin;", "/;/admin", "/a;jsessionid=1/b", "/..;/admin",
            "/public/.;/admin", "/x/;"})
    void refusesPathParameters(String raw) {
        assertRefused(raw, ";");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/public/..%3b/admin", "/public/..%3B/admin", "/public/..%3Bx/admin", "/public/.%3Bx/admin",
            "/public/%2e%2e%3b/admin", "/public/%2E%2E%3Bjsessionid=1/admin", "/public/.%3B", "/public/..%3B",
            "/%3B/admin", "/%3bx/admin", "/public/%3B/../admin", "/x/%3B/"})
    void refusesSegmentsThatAnEscapedSemicolonWouldMakeDotsOrEmpty(String raw) {
        assertRefused(raw, "%3B");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%252Fadmin", "/%252fadmin", "/%252e%252e/admin", "/%252e", "/%2561dmin", "/%25%32%46admin",
            "/%2532%46", "/a%25%34%31", "/%25ff"})
    void refusesDoubleEncoding(String raw) {
        assertRefused(raw, "twice");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%c0%ae%c0%ae/admin", "/%C0%AE%C0%AE%C0%AF", "/%e0%80%ae%e0%80%ae/admin", "/%f0%80%80%ae",
            "/%c0%af", "/%c1%bf", "/%ed%a0%80", "/%ed%bf%bf", "/%f4%90%80%80", "/%f5%80%80%80", "/%ff", "/%fe%ff",
            "/%c3", "/%c3/", "/%e2%82", "/%80", "/%a9", "/caf%e9", "/%c3%c3%a9"})
    void refusesBytesThatAreNotStrictUtf8(String raw) {
        assertRefused(raw, "UTF-8");
    }

    @Test
    void refusesRawBytesThatAreNotUtf8() {
        assertRefused("/caf" + (char) 0xE9, "UTF-8");
        assertRefused("/" + (char) 0xC0 + (char) 0xAE + (char) 0xC0 + (char) 0xAE + "/admin", "UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%00b", "/a%0ab", "/a%0D%0Ab", "/a%09b", "/a%1fb", "/a%7fb", "/a%c2%80b", "/a%C2%9Fb"})
    void refusesEscapedControlCharacters(String raw) {
        assertRefused(raw, "control");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a b", "/a\tb", "/a\u0000b", "/a\u007fb", "/a\u001bb", "/a\u0085b"})
    void refusesRawSpacesAndControlCharacters(String raw) {
        assertThatThrownBy(() -> RequestTarget.parse(raw)).isInstanceOf(RequestTarget.InvalidRequestTargetException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a%zz", "/a%", "/a%4", "/a%4g", "/a%%41", "/a%u002e", "/a%٣٣"})
    void refusesMalformedEscapes(String raw) {
        assertRefused(raw, "escape");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "example.com:443", "admin", "ftp://example.com/admin", "", "/a\u0100b"})
    void refusesWhatIsNotAPathInBytes(String raw) {
        assertThatThrownBy(() -> RequestTarget.parse(raw)).isInstanceOf(RequestTarget.InvalidRequestTargetException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/x?a=%2F..%2F&b=;&c=%25252F&d=\\", "/x?", "/x?a=%zz", "/x?uri=http://h/a%2fb"})
    void theQueryGoesUpstreamAsReceived(String raw) throws Exception {
        RequestTarget target = RequestTarget.parse(raw);
        assertThat(target.query()).contains(raw.substring(raw.indexOf('?') + 1));
        assertThat(target.pathAndQuery()).isEqualTo(raw);
    }

    @Test
    void rawNonAsciiBytesInTheQueryAreEscaped() throws Exception {
        assertThat(RequestTarget.parse(asReceived("/x?q=café")).query()).contains("q=caf%C3%A9");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/x?a b", "/x?a\tb", "/x?a\u0000", "/x?a\u007f", "/x?a\rb"})
    void refusesRawSpacesAndControlsInTheQuery(String raw) {
        assertRefused(raw, "query");
    }

    @Test
    void theFragmentIsDropped() throws Exception {
        assertThat(RequestTarget.parse("/a?b#c").pathAndQuery()).isEqualTo("/a?b");
        assertThat(RequestTarget.parse("/a#b?c").query()).isEqualTo(Optional.empty());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/public/../admin", "/%61dmin", "/a|b", "/caf%c3%a9.txt", "/a%20b", "/100%25.txt", "/x/%3B",
            "/x/a%3bb/", "/a\"b<c>d", "/a[b]^`{}c", "/%40:!$&'()*+,=~", "/a%3fb%23c", "//a//b//"})
    void theCanonicalPathIsAFixedPoint(String raw) throws Exception {
        String path = canonical(raw);
        assertThat(canonical(path)).isEqualTo(path);
    }

    private static void assertRefused(String raw, String rule) {
        assertThatThrownBy(() -> RequestTarget.parse(raw))
                .isInstanceOf(RequestTarget.InvalidRequestTargetException.class)
                .hasMessageContaining(rule);
    }
}
