/** Upstream connections: endpoint choice and health, per-event-loop pools, TLS and cleartext HTTP/2 to upstreams. */
package dev.portcullis.proxy.upstream;
