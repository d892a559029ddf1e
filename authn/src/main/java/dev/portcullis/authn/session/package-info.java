/**
 * The signed-in session: what it holds, how it is sealed into the {@code _pomerium} cookie with the
 * cookie secret, split into chunks and read back, and how a session is revoked before it expires.
 */
package dev.portcullis.authn.session;
