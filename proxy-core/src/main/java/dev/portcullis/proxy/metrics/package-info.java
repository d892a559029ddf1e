/**
 * Prometheus metrics: the registry with Pomerium's metric names, what each finished request, sign-in and
 * identity provider call adds to it, and the {@code metrics_address} listener that serves it.
 */
package dev.portcullis.proxy.metrics;
