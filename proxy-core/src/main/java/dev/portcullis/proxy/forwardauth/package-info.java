/**
 * Forward-auth: nginx ({@code auth_request}), Traefik ({@code forwardauth}) and Caddy
 * ({@code forward_auth}) ask on the {@code forward_auth_url} host whether a request may pass; the
 * proxy decides with the same routing, sessions and policies as for requests it forwards itself.
 */
package dev.portcullis.proxy.forwardauth;
