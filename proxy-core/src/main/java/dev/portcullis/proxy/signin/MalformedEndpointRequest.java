package dev.portcullis.proxy.signin;

/**
 * A request to one of the proxy's own endpoints that cannot be read: a malformed query or form, or a
 * parameter the endpoint reads given more than once. A client's mistake, answered with {@code 400}
 * and the message, which says what is wrong and never echoes the request's values.
 */
final class MalformedEndpointRequest extends RuntimeException {
    MalformedEndpointRequest(String whatIsWrong) {
        super(whatIsWrong, null, false, false);
    }
}
