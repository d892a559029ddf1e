package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;

/** {@code cors_preflight}: a CORS preflight request ({@code cors-request}, else {@code non-cors-request}). */
public final class CorsPreflightCriterion extends Criterion {

    public CorsPreflightCriterion(String path) {
        super(path, "cors_preflight", Reason.CORS_REQUEST, Reason.NON_CORS_REQUEST);
    }

    @Override
    protected boolean test(AccessRequest request) {
        return request.corsPreflight();
    }

    @Override
    protected String actual(AccessRequest request) {
        return "this is not a CORS preflight request";
    }
}
