/** Options and routes: reading YAML and the environment into validated, immutable records. */
package dev.portcullis.config;
