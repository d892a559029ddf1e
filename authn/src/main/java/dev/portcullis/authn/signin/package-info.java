/**
 * The sign-in flow's sealed values: the attempt kept in the browser between the redirect to the
 * identity provider and its answer, the single-use hand-off from the authenticate host to a route
 * host, and the ticket of programmatic login. Free of any network or HTTP code.
 */
package dev.portcullis.authn.signin;
