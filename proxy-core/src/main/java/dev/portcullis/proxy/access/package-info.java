/** The access decision for a request on a route: go on, or the answer that refuses it. */
package dev.portcullis.proxy.access;
