/**
 * Internal: where settings come from — the YAML file and the environment — merged into one map of known
 * top-level keys, the environment winning, with unknown keys reported as warnings. Not for use outside
 * the config module.
 */
package dev.portcullis.config.internal.source;
