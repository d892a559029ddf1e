/**
 * Where shared sign-in state lives when replicas share it: the parsed {@code databroker_storage_connection_string}
 * (Redis, standalone, through Sentinel or as a cluster), typed so that the wiring never parses a URL again.
 */
package dev.portcullis.config.storage;
