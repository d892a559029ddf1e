/**
 * The signed statement of who the user is that upstreams receive in {@code X-Pomerium-Jwt-Assertion}, as
 * Pomerium makes it: the signing keys (from {@code signing_key}, several for a rotation, or derived from
 * {@code shared_secret} as Pomerium derives it), the assertion signer with its per-session cache, and the
 * published key set and {@code /.well-known/pomerium} metadata.
 */
package dev.portcullis.authn.assertion;
