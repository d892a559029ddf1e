/**
 * Live configuration: the files a configuration read are watched, and a change (or {@code SIGHUP})
 * builds and validates a complete new configuration that is then swapped in, or refused while the
 * running one goes on serving.
 */
package dev.portcullis.proxy.reload;
