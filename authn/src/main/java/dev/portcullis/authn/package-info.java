/** Sessions, the OpenID Connect sign-in and the JWT assertion (filled in by the sign-in work). */
package dev.portcullis.authn;
