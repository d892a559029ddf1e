/**
 * What the proxy writes to its log: the access log line of every request ({@code portcullis.access}),
 * the audit events ({@code portcullis.audit}), and the line format and level chosen at start-up.
 */
package dev.portcullis.proxy.log;
