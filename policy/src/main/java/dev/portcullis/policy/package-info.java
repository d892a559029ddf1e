/**
 * The policy language: compiling a route's access rules (Pomerium's policy language and the legacy
 * {@code allowed_*} options) into an immutable {@link dev.portcullis.policy.Policy}, and deciding who may
 * pass and why. JDK only; {@code internal} packages are not API.
 */
package dev.portcullis.policy;
