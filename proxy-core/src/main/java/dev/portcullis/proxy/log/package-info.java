/** The access log: one JSON line per request. */
package dev.portcullis.proxy.log;
