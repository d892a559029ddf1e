package dev.portcullis.proxy.signin;

import java.util.Locale;

/**
 * Tells a browser from an API client by {@code Accept}: a browser is redirected to sign in, an API
 * client gets 401 (a login page would be of no use to it).
 */
public final class BrowserRequests {
    private BrowserRequests() {}

    /**
     * Whether {@code accept} prefers {@code text/html} (or XHTML) over every other type it names,
     * or is absent. Browsers ask for HTML first when they open a page; {@code *}{@code /*} alone,
     * which HTTP libraries and {@code curl} send, does not prefer HTML, so such a client gets 401
     * with the sign-in URL instead of a redirect to a login page it cannot use.
     */
    public static boolean isBrowser(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        double html = -1;
        double other = -1;
        for (String part : accept.toLowerCase(Locale.ROOT).split(",")) {
            String[] pieces = part.split(";");
            String type = pieces[0].strip();
            double q = quality(pieces);
            if (type.equals("text/html") || type.equals("application/xhtml+xml")) {
                html = Math.max(html, q);
            } else {
                other = Math.max(other, q);
            }
        }
        return html > 0 && html >= other;
    }

    private static double quality(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String parameter = pieces[i].strip();
            if (parameter.startsWith("q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }
}
