/**
 * Internal: where settings come from — the YAML file and the environment — merged into one map of known
 * top-level keys, the environment winning, with unknown keys reported as warnings, and keys known but not
 * acted on warned about or refused; and the data directory's file of generated secrets. Not for use
 * outside the config module.
 */
package dev.portcullis.config.internal.source;
