package dev.portcullis.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * When two header names are the same header to some application: names compare case-insensitively
 * (RFC 9110 §5.1), and CGI, WSGI, PHP and Rack servers hand headers to applications as
 * {@code HTTP_X_POMERIUM_CLAIM_EMAIL}, so {@code X-Pomerium-Claim-Email} and
 * {@code X_Pomerium_Claim_Email} reach a Flask application as one header (Apache's CGI
 * conversion even turns every character that is not a letter or digit into {@code _}). A name is
 * therefore read in its <em>spelling</em>: lower case, every character other than a letter or digit
 * read as {@code -}.
 */
public final class HeaderSpelling {
    private HeaderSpelling() {}

    /** {@code name} as spelled: {@code X_Pomerium.Claim-email} → {@code x-pomerium-claim-email}. */
    public static String of(CharSequence name) {
        StringBuilder spelled = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            spelled.append(spell(name.charAt(i)));
        }
        return spelled.toString();
    }

    /** Whether {@code name} is spelled {@code spelling} (which must already be a spelling); allocates nothing. */
    public static boolean is(CharSequence name, String spelling) {
        return name.length() == spelling.length() && startsWith(name, spelling);
    }

    /** Whether {@code name}'s spelling begins with {@code spelledPrefix}; allocates nothing. */
    public static boolean startsWith(CharSequence name, String spelledPrefix) {
        if (name.length() < spelledPrefix.length()) {
            return false;
        }
        for (int i = 0; i < spelledPrefix.length(); i++) {
            if (spell(name.charAt(i)) != spelledPrefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Removes every header spelled like {@code name} ({@code remove_request_headers: [X-Secret]} removes {@code x_secret} too). */
    public static void removeEvery(HttpHeaders headers, String name) {
        String spelling = of(name);
        List<String> doomed = null;
        for (Map.Entry<String, String> header : headers) {
            if (is(header.getKey(), spelling)) {
                if (doomed == null) {
                    doomed = new ArrayList<>(2);
                }
                doomed.add(header.getKey());
            }
        }
        if (doomed != null) {
            doomed.forEach(headers::remove);
        }
    }

    private static char spell(char c) {
        if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
            return c;
        }
        if (c >= 'A' && c <= 'Z') {
            return (char) (c + ('a' - 'A'));
        }
        return '-';
    }
}
