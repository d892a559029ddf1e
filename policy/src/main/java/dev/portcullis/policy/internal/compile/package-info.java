/**
 * Internal: turns a route's parsed YAML (maps, lists, scalars) and legacy options into the compiled
 * condition tree, collecting every mistake with its YAML path. Not API; use
 * {@link dev.portcullis.policy.PolicyCompiler}.
 */
package dev.portcullis.policy.internal.compile;
