/**
 * Forward-auth: nginx ({@code auth_request}), Traefik ({@code forwardauth}) and Caddy
 * ({@code forward_auth}) ask on the {@code forward_auth_url} host, or with the application's own
 * {@code Host} on a host where nothing is forwarded, whether a request may pass; the proxy decides
 * with the same routing, sessions and policies as for requests it forwards itself, and answers with
 * every configured identity header.
 */
package dev.portcullis.proxy.forwardauth;
