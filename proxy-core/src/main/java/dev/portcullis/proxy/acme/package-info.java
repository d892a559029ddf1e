/**
 * The ACME half of {@code autocert: true}: obtains and renews TLS certificates from an ACME server
 * (RFC 8555, with acme4j) and holds the challenge responses the listeners answer with. It touches no
 * listener itself: the server reads {@link dev.portcullis.proxy.acme.ChallengeResponses} and
 * {@link dev.portcullis.proxy.acme.AutocertService#certificates()}. Its state is kept in {@code autocert_dir}, or in
 * the Redis that replicas share ({@link dev.portcullis.proxy.acme.AutocertStorage}).
 */
package dev.portcullis.proxy.acme;
