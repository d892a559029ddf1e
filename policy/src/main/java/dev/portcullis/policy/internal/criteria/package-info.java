/**
 * Internal: one class per family of policy criteria, each a leaf of the compiled condition tree with
 * Pomerium's reason words for holding and failing.
 */
package dev.portcullis.policy.internal.criteria;
