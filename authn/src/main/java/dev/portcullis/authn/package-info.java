/** Sessions sealed in cookies, the JWT assertion and its key set, and the key derivation they share; the OpenID Connect sign-in joins them later. */
package dev.portcullis.authn;
