/**
 * Internal: the compiled, immutable condition tree and its evaluation to allow/deny with Pomerium's
 * reason words. Not API; use {@link dev.portcullis.policy.Policy}.
 */
package dev.portcullis.policy.internal.eval;
