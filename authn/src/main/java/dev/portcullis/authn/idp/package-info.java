/**
 * The identity-provider side of sign-in, free of Netty: OpenID Connect (and GitHub's plain OAuth 2)
 * authorization URLs, code redemption, refresh, RP-initiated logout and back-channel logout tokens,
 * built on the Nimbus OAuth 2 / OIDC SDK. Every network call runs on the executor a provider is given.
 */
package dev.portcullis.authn.idp;
