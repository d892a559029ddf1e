/**
 * Internal: reads {@code policy:} and {@code routes:} (or the base64 {@code POLICY}/{@code ROUTES}
 * variables) into {@link dev.portcullis.config.route.Route} records, validating each as Pomerium does.
 * Not for use outside the config module.
 */
package dev.portcullis.config.internal.routes;
