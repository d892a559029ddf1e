/**
 * The catalogue of every configuration key Portcullis knows, top-level and per route: its environment
 * variable, default, meaning and whether it is implemented. Unknown-key detection and the reference
 * documentation test both read it.
 */
package dev.portcullis.config.catalogue;
