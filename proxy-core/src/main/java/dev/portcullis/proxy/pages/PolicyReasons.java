package dev.portcullis.proxy.pages;

import java.util.List;
import java.util.Map;

/**
 * Shows a policy's reason words ({@code email-unauthorized}, {@code http-method-ok} …) on a page:
 * each word with a sentence in plain words. The sentences name what was checked, never what the
 * policy requires: a stranger should not learn from a page who would be let in.
 */
final class PolicyReasons {
    /** What a criterion looks at, as the middle of a sentence. */
    private static final Map<String, String> SUBJECTS = Map.ofEntries(
            Map.entry("user", "your user ID"),
            Map.entry("email", "your email address"),
            Map.entry("domain", "the domain of your email address"),
            Map.entry("groups", "your groups"),
            Map.entry("claim", "the claims from your identity provider"),
            Map.entry("http-method", "the request method"),
            Map.entry("http-path", "the request path"),
            Map.entry("source-ip", "the network address you connect from"),
            Map.entry("client-certificate", "your client certificate"),
            Map.entry("date", "today's date"),
            Map.entry("day-of-week", "the day of the week"),
            Map.entry("time-of-day", "the time of day"));

    /** Words that are not a criterion with {@code -ok} or {@code -unauthorized}. */
    private static final Map<String, String> SENTENCES = Map.of(
            "accept", "A rule lets every request in.",
            "reject", "A rule refuses every request.",
            "user-unauthenticated", "You are not signed in.",
            "cors-request", "This is a CORS preflight request.",
            "non-cors-request", "This is not a CORS preflight request.",
            "client-certificate-required", "A client certificate is required and none was presented.",
            "invalid-client-certificate", "The client certificate presented is not valid.",
            "valid-client-certificate", "The client certificate presented is valid.");

    private PolicyReasons() {}

    /** Appends a "Why" section listing {@code reasons}, or nothing when there are none. */
    static void appendHtml(StringBuilder html, List<String> reasons) {
        if (reasons.isEmpty()) {
            return;
        }
        html.append("<h2>Why</h2><ul class=\"reasons\">");
        for (String word : reasons) {
            // Starts with the word itself, which is also what the log and the JSON answer show.
            html.append("<li><code>").append(PageLayout.escape(word)).append("</code> ")
                    .append(PageLayout.escape(plainWords(word))).append("</li>");
        }
        html.append("</ul>");
    }

    /** One sentence saying what {@code word} means, e.g. "The policy does not allow your email address." */
    static String plainWords(String word) {
        String sentence = SENTENCES.get(word);
        if (sentence != null) {
            return sentence;
        }
        if (word.endsWith("-unauthorized")) {
            String subject = SUBJECTS.get(word.substring(0, word.length() - "-unauthorized".length()));
            if (subject != null) {
                return "The policy does not allow " + subject + ".";
            }
        }
        if (word.endsWith("-ok")) {
            String subject = SUBJECTS.get(word.substring(0, word.length() - "-ok".length()));
            if (subject != null) {
                return "A rule about " + subject + " matched.";
            }
        }
        return "A rule of the route's policy decided.";
    }
}
