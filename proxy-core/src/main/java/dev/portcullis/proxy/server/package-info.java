/** The listeners: event loops, the downstream channel pipelines, graceful shutdown. */
package dev.portcullis.proxy.server;
