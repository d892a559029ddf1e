/**
 * Internal: reads the merged top-level settings into {@link dev.portcullis.config.Options} — listener,
 * certificates, secrets, response headers, identity provider, cookies and identity headers — reporting
 * every problem. Not for use outside the config module.
 */
package dev.portcullis.config.internal.options;
