package dev.portcullis.proxy.http;

import static java.util.Objects.requireNonNull;

/**
 * A request method the policy and the upstream read the same way. RFC 9110 §9.1 makes methods
 * case-sensitive tokens, so {@code delete} is not {@code DELETE} to an {@code http_method} rule; but
 * Django, Flask and every WSGI or CGI server upper-case the method, and would run the delete. A
 * method is therefore refused (400) unless it is a token (RFC 9110 §5.6.2, {@code tchar}) with no
 * lower-case letter: {@code GET}, {@code DELETE}, {@code MKCOL}, {@code M-SEARCH} pass;
 * {@code delete}, {@code Get}, {@code propfind} and {@code GET /} do not. The same rule applies to
 * the method a forward-auth check is asked about ({@code X-Forwarded-Method}).
 *
 * @param name the method, as received
 */
public record RequestMethod(String name) {
    private static final String TCHAR_SYMBOLS = "!#$%&'*+-.^_`|~";

    /** @throws IllegalArgumentException when {@code name} is refused; {@link #parse} for input from a request */
    public RequestMethod {
        String refusal = refusal(requireNonNull(name, "name"));
        if (refusal != null) {
            throw new IllegalArgumentException("method " + name + ": " + refusal);
        }
    }

    /** The method, or the reason it is refused. */
    public static RequestMethod parse(String name) throws InvalidRequestMethodException {
        String refusal = refusal(requireNonNull(name, "name"));
        if (refusal != null) {
            throw new InvalidRequestMethodException(refusal);
        }
        return new RequestMethod(name);
    }

    private static String refusal(String name) {
        if (name.isEmpty()) {
            return "the method is empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'a' && c <= 'z') {
                return "the method has a lower-case letter (methods are case-sensitive)";
            }
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || TCHAR_SYMBOLS.indexOf(c) >= 0)) {
                return "the method is not a token";
            }
        }
        return null;
    }

    /** A method that an upstream could read as another method: answered with 400. The message names the rule. */
    public static final class InvalidRequestMethodException extends Exception {
        public InvalidRequestMethodException(String message) {
            super(message, null, false, false);
        }
    }
}
