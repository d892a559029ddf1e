import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The quickstart's upstream: answers every request with an HTML page listing the request headers it
 * received, so you can see what Portcullis adds (X-Forwarded-*, X-Request-Id and, once you are signed
 * in, X-Pomerium-Jwt-Assertion, whose claims it also decodes for you). JDK only; run it from the
 * repository root with
 *
 * <pre>java examples/quickstart/HeadersUpstream.java 8081</pre>
 *
 * It listens on 127.0.0.1 only (port 0 picks a free port; the line it prints names it).
 */
public final class HeadersUpstream {
    private static final String ASSERTION = "X-Pomerium-Jwt-Assertion";

    private HeadersUpstream() {}

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8081;
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        server.createContext("/", HeadersUpstream::answer);
        server.start();
        System.out.println("HeadersUpstream listening on http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] body = page(exchange).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.getResponseHeaders().set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
            boolean head = exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(200, head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static String page(HttpExchange exchange) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(exchange.getRequestHeaders());
        StringBuilder html = new StringBuilder()
                .append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"/>")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>")
                .append("<title>Headers the upstream received</title><style>")
                .append(":root{color-scheme:light dark}body{font-family:system-ui,sans-serif;margin:2rem auto;")
                .append("max-width:60rem;padding:0 1rem;line-height:1.5}table{border-collapse:collapse;width:100%}")
                .append("th,td{text-align:left;vertical-align:top;padding:.3rem .5rem;border-bottom:1px solid #8884}")
                .append("td{font-family:ui-monospace,monospace;overflow-wrap:anywhere}pre{white-space:pre-wrap;")
                .append("overflow-wrap:anywhere}.note{border-left:4px solid #0b57d0;padding:.25rem .75rem}")
                .append("</style></head><body>")
                .append("<h1>Headers the upstream received</h1>")
                .append("<p>").append(escape(exchange.getRequestMethod())).append(" <code>")
                .append(escape(exchange.getRequestURI().toString())).append("</code></p>");
        List<String> assertion = headers.get(ASSERTION);
        if (assertion != null && !assertion.isEmpty()) {
            html.append("<p class=\"note\">Portcullis says who you are in <code>").append(ASSERTION)
                    .append("</code>, a JWT signed with the key published at <code>/.well-known/pomerium/jwks.json</code>.")
                    .append(" Paste it into a JWT decoder to read it (this one is a demo's; never paste a real token")
                    .append(" into a website). Its claims, decoded here without checking the signature:</p><pre>")
                    .append(escape(claims(assertion.get(0)))).append("</pre>");
        } else {
            html.append("<p class=\"note\">No <code>").append(ASSERTION).append("</code>: this request came without")
                    .append(" a session. Open <a href=\"http://private.localhost:8080/\">private.localhost</a> and sign")
                    .append(" in to see one.</p>");
        }
        html.append("<table><thead><tr><th>Header</th><th>Value</th></tr></thead><tbody>");
        headers.forEach((name, values) -> values.forEach(value -> html.append("<tr><th>").append(escape(name))
                .append("</th><td>").append(escape(value)).append("</td></tr>")));
        return html.append("</tbody></table></body></html>\n").toString();
    }

    /** The JWT's payload as text: base64url-decoded, not verified. */
    private static String claims(String jwt) {
        String[] parts = jwt.split("\\.");
        if (parts.length != 3) {
            return "(not a JWT)";
        }
        try {
            return new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                    .replace(",\"", ",\n \"").replace("{\"", "{\n \"").replaceAll("}$", "\n}");
        } catch (IllegalArgumentException e) {
            return "(not base64url)";
        }
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
