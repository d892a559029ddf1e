/** Downstream TLS: certificates from PEM, selection by SNI, the self-signed fallback, upstream TLS contexts. */
package dev.portcullis.proxy.tls;
