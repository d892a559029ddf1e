/** The route records: where a request matches, where it goes and how it is rewritten on the way. */
package dev.portcullis.config.route;
