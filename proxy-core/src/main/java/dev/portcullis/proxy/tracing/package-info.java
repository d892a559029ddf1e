/**
 * OpenTelemetry tracing: a span per request continuing the client's W3C {@code traceparent}, with child spans for
 * the policy decision, the upstream call and identity provider calls, exported over OTLP/HTTP off the event loops.
 */
package dev.portcullis.proxy.tracing;
