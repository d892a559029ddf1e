/**
 * Internal: the matchers criteria are built from (string and string-list matchers, IP ranges, claim
 * paths), each compiled once and tested without allocation where it can be.
 */
package dev.portcullis.policy.internal.match;
