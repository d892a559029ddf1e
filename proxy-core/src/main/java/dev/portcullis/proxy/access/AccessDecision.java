package dev.portcullis.proxy.access;

import static java.util.Objects.requireNonNull;

import dev.portcullis.policy.Decision;
import dev.portcullis.proxy.failure.ProxyFailure;
import java.util.Optional;

/** The outcome of an access check. */
public sealed interface AccessDecision {
    /** The request may go on to the route's action. */
    record Allow() implements AccessDecision {}

    /**
     * The request is refused with this answer.
     *
     * @param failure the answer (403, 495, …)
     * @param policy  the policy's decision, whose reasons the page and the log show; empty when
     *                the refusal did not come from the policy
     */
    record Deny(ProxyFailure failure, Optional<Decision> policy) implements AccessDecision {
        public Deny {
            requireNonNull(failure, "failure");
            requireNonNull(policy, "policy");
        }
    }

    /**
     * The policy needs to know who is asking, and nobody is signed in: a browser is sent to sign
     * in, an API client gets 401.
     *
     * @param policy the policy's decision, for the log
     */
    record SignIn(Decision policy) implements AccessDecision {
        public SignIn {
            requireNonNull(policy, "policy");
        }
    }

    AccessDecision ALLOW = new Allow();

    /** The refusal of a gate that could not decide: the proxy fails closed. */
    AccessDecision DENY = new Deny(ProxyFailure.FORBIDDEN, Optional.empty());
}
