/**
 * What the proxy writes to its log: the access log line of every request ({@code portcullis.access}),
 * the audit events ({@code portcullis.audit}), the line format and level chosen at start-up, and Logback's bundled
 * configuration, set up in code.
 */
package dev.portcullis.proxy.log;
