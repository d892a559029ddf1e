/** Finding the route for a request: host (exact, then wildcard), then path, in declaration order. */
package dev.portcullis.proxy.route;
