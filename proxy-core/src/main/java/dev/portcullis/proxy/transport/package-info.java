/**
 * The bottom of proxy-core: the socket transport (epoll or NIO, event loops, the non-blocking
 * resolver) and the names of the handlers in every pipeline.
 */
package dev.portcullis.proxy.transport;
