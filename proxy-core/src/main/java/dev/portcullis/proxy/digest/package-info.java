/** Message digests (SHA-256) for fingerprints of files, certificates and secrets; the bottom of proxy-core with {@code transport}. */
package dev.portcullis.proxy.digest;
