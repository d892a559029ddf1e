package dev.portcullis.policy.internal.criteria;

import dev.portcullis.policy.AccessRequest;
import dev.portcullis.policy.internal.eval.Reason;
import dev.portcullis.policy.internal.match.StringMatcher;

/** {@code http_method} and {@code http_path}, each tested with a string matcher, exactly. */
public final class HttpCriterion extends Criterion {

    /** Which part of the request is tested. */
    public enum Part {
        METHOD("http_method", Reason.HTTP_METHOD_OK, Reason.HTTP_METHOD_UNAUTHORIZED),
        PATH("http_path", Reason.HTTP_PATH_OK, Reason.HTTP_PATH_UNAUTHORIZED);

        private final String name;
        private final Reason held;
        private final Reason failed;

        Part(String name, Reason held, Reason failed) {
            this.name = name;
            this.held = held;
            this.failed = failed;
        }

        public String criterionName() {
            return name;
        }
    }

    private final Part part;
    private final StringMatcher matcher;

    public HttpCriterion(String path, Part part, StringMatcher matcher) {
        super(path, part.name + " " + matcher.describe(), part.held, part.failed);
        this.part = part;
        this.matcher = matcher;
    }

    @Override
    protected boolean test(AccessRequest request) {
        return matcher.matches(part == Part.METHOD ? request.method() : request.path());
    }

    @Override
    protected String actual(AccessRequest request) {
        return part == Part.METHOD ? "the method is " + request.method() : "the path is " + request.path();
    }
}
