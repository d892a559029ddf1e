/**
 * Internal: a configuration value with where it was set, and the readers that turn it into a typed value
 * or a {@link dev.portcullis.config.ConfigProblem} naming that place. Not for use outside the config module.
 */
package dev.portcullis.config.internal.value;
