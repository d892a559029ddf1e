/** The command line: serve, validate a configuration, make a secret. */
package dev.portcullis.proxy;
