/** HTTP facts that do not depend on a route: the canonical request target and method, forwarded-header trust, hop-by-hop headers. */
package dev.portcullis.proxy.http;
