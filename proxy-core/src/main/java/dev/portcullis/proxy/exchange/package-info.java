/**
 * One request's way through the proxy: the per-request context, the decisions (route, access)
 * and the answers (a local response, a redirect, or a streamed upstream exchange).
 */
package dev.portcullis.proxy.exchange;
