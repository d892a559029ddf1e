package dev.portcullis.proxy.pages;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * The one HTML skeleton every page of the proxy shares: a self-contained HTML5 document with
 * inline CSS only (nothing is loaded from anywhere), a viewport for phones, a fluid single
 * column, a visible focus ring on links, buttons and fields for keyboard users, and labelled form
 * fields ({@code form.fields}) for the pages that ask for something.
 *
 * <p>Pages are written as polyglot markup (HTML5 that is also well-formed XML: every element
 * closed, every attribute quoted, no named entities beyond XML's five), so tests can read them
 * with a strict parser. Whatever a page shows goes through {@link #escape}.
 */
final class PageLayout {
    private static final String STYLE = ""
            + ":root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--accent:#0b57d0;"
            + "--accent-fg:#fff;--code:#f3f4f6}"
            + "@media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9aa4ae;--line:#3d444d;"
            + "--accent:#8ab4f8;--accent-fg:#0d1117;--code:#262c33}}"
            + "*{box-sizing:border-box}"
            + "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--fg);line-height:1.5;"
            + "margin:0;padding:2rem 1rem}"
            + "main{max-width:40rem;margin:0 auto}"
            + "h1{font-size:1.5rem;margin:0 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}"
            + "p,li,dd,td{overflow-wrap:anywhere}"
            + "code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em;"
            + "background:var(--code);padding:0 .25em;border-radius:3px}"
            + "dl{display:grid;grid-template-columns:minmax(6rem,max-content) 1fr;gap:.25rem 1rem;margin:0}"
            + "dt{color:var(--muted)}dd{margin:0}"
            + "table{border-collapse:collapse;width:100%;table-layout:fixed}"
            + "th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line)}"
            + "th{color:var(--muted);font-weight:600}"
            + "ul{padding-left:1.25rem}"
            + ".muted,.request-id{color:var(--muted)}.request-id{font-size:.875rem;margin-top:2rem}"
            + ".actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.5rem}"
            + "a{color:var(--accent)}"
            + "a.button,button{display:inline-block;font:inherit;font-weight:600;text-decoration:none;cursor:pointer;"
            + "padding:.6rem 1.1rem;border-radius:6px;border:1px solid var(--accent);"
            + "background:var(--accent);color:var(--accent-fg)}"
            + "form{margin:0}"
            + "form.fields{display:grid;gap:1rem;max-width:24rem;margin-top:1rem}"
            + "label{display:grid;gap:.35rem;font-weight:600}"
            + "input{font:inherit;font-weight:400;padding:.6rem .7rem;border:1px solid var(--line);border-radius:6px;"
            + "background:transparent;color:inherit;width:100%}"
            + "input:focus-visible{outline:3px solid var(--accent);outline-offset:1px}"
            + "input.code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:1.4rem;"
            + "letter-spacing:.3em;max-width:12rem}"
            + "form.fields button{justify-self:start}"
            + ".message{border-left:4px solid #d1242f;padding:.5rem .75rem;margin:0}"
            + "a:focus-visible,button:focus-visible{outline:3px solid var(--accent);outline-offset:3px}"
            + "[hidden]{display:none!important}"
            + "form.alternative{display:grid;gap:.75rem;max-width:24rem;margin-top:1.5rem}"
            + "form.alternative p{margin:0}"
            + "a.button.secondary,button.secondary{background:transparent;color:var(--accent)}"
            + "form.inline{display:flex;gap:.5rem;align-items:center}form.inline input{min-width:0}"
            + "form.inline button{padding:.4rem .8rem}"
            + "table.passkeys th:first-child{width:45%}table.passkeys button{white-space:nowrap}"
            + ".notice{border-left:4px solid var(--accent);padding:.5rem .75rem;margin:0 0 1rem}"
            + "@media (max-width:30rem){body{padding:1rem .75rem}dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}"
            + "a.button,button{width:100%;text-align:center}form.fields button{justify-self:stretch}}";

    private PageLayout() {}

    /**
     * A whole HTML document.
     *
     * @param title the page title, plain text (escaped here)
     * @param main  the content of {@code <main>}, already HTML
     */
    static String document(String title, String main) {
        requireNonNull(title, "title");
        requireNonNull(main, "main");
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"
                + "<meta name=\"robots\" content=\"noindex\"/>"
                + "<title>" + escape(title) + "</title>"
                + "<style>" + STYLE + "</style></head>"
                + "<body><main>" + main + "</main></body></html>\n";
    }

    /** The line at the foot of a page naming the request id that is also in the log. */
    static String requestIdLine(String requestId) {
        return "<p class=\"request-id\">Request ID: <code>" + escape(requestId) + "</code></p>";
    }

    /**
     * A link styled as a button.
     *
     * @throws IllegalArgumentException when {@code url} is neither an http(s) URL nor a path on this site
     */
    static String buttonLink(String url, String label) {
        return "<a class=\"button\" href=\"" + escape(checkedLinkTarget(url)) + "\">" + escape(label) + "</a>";
    }

    /**
     * {@code url} when a page may link to it: an {@code http} or {@code https} URL, or a reference
     * without a scheme (a path on this site). Never {@code javascript:} or {@code data:}.
     */
    static String checkedLinkTarget(String url) {
        requireNonNull(url, "url");
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                break;
            }
            if (c == ':') {
                String scheme = url.substring(0, i).toLowerCase(Locale.ROOT);
                if (scheme.equals("http") || scheme.equals("https")) {
                    break;
                }
                throw new IllegalArgumentException("url: scheme " + scheme + " (expected: http, https or a path)");
            }
        }
        return url;
    }

    /**
     * HTML-escapes text for element content and quoted attribute values. Control characters other
     * than tab and line ends become U+FFFD: HTML calls them parse errors and XML forbids them.
     */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(isControl(c) ? '\uFFFD' : c);
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') || (c >= 0x7f && c <= 0x9f);
    }
}
