package dev.portcullis.proxy.access;

import static java.util.Objects.requireNonNull;

import dev.portcullis.proxy.pages.ProxyFailure;

/** The outcome of an access check. */
public sealed interface AccessDecision {
    /** The request may go on to the route's action. */
    record Allow() implements AccessDecision {}

    /** The request is refused with this answer. */
    record Deny(ProxyFailure failure) implements AccessDecision {
        public Deny {
            requireNonNull(failure, "failure");
        }
    }

    AccessDecision ALLOW = new Allow();
}
