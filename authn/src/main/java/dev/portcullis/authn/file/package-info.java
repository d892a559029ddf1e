/**
 * Files that the proxy and {@code portcullis users} both change: each change re-reads the file and replaces it
 * atomically under a lock, so two writers never lose each other's changes ({@link dev.portcullis.authn.file.LockedFile}).
 */
package dev.portcullis.authn.file;
