/**
 * The signed statement of who the user is that upstreams receive in {@code X-Pomerium-Jwt-Assertion}:
 * the signing key (from {@code signing_key} or derived from {@code shared_secret}), the assertion
 * signer with its per-session cache, and the published key set and {@code /.well-known/pomerium}
 * metadata.
 */
package dev.portcullis.authn.assertion;
