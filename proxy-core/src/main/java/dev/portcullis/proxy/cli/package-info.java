/** The command line (the top layer): serve, validate a configuration, check a policy, manage built-in users, make a secret. */
package dev.portcullis.proxy.cli;
