/** HTTP facts that do not depend on a route: the request target, forwarded-header trust, hop-by-hop headers. */
package dev.portcullis.proxy.http;
