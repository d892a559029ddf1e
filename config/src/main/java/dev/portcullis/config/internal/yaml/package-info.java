/**
 * Internal: safe YAML parsing into plain maps, lists and scalars (no arbitrary types, no timestamps,
 * decimal numbers only). Not for use outside the config module.
 */
package dev.portcullis.config.internal.yaml;
