package dev.portcullis.proxy.http;

import java.util.List;

/**
 * Request targets that try to reach {@code /admin} past a rule {@code deny: http_path starts_with /admin},
 * each with what the proxy must do about it, for the tests that send them to real upstreams and
 * forward-auth checks. The expectations are written out here, not computed with {@link RequestTarget},
 * so that a weakened parser fails the tests instead of moving their goal posts.
 */
public final class AttackPaths {
    private AttackPaths() {}

    /** What the proxy does with a target. */
    public enum Outcome {
        /** refused with 400: the target could be read as another path than the policy would judge */
        REFUSED,
        /** judged as a path under {@code /admin}: 403 */
        DENIED,
        /** judged as {@link AttackPath#canonical()}, which is not under {@code /admin}, and forwarded as exactly that */
        FORWARDED
    }

    /**
     * @param target    the request target as the client sends it
     * @param outcome   what the proxy must do
     * @param canonical for {@link Outcome#FORWARDED}, the path and query the upstream must receive; else null
     * @param defect    the class of defect it probes, for the test names
     */
    public record AttackPath(String target, Outcome outcome, String canonical, String defect) {
        static AttackPath refused(String target, String defect) {
            return new AttackPath(target, Outcome.REFUSED, null, defect);
        }

        static AttackPath denied(String target, String defect) {
            return new AttackPath(target, Outcome.DENIED, null, defect);
        }

        static AttackPath forwarded(String target, String canonical, String defect) {
            return new AttackPath(target, Outcome.FORWARDED, canonical, defect);
        }

        /** Whether a front proxy can name it in a forward-auth check (no fragment, origin form). */
        public boolean checkable() {
            return target.startsWith("/") && target.indexOf('#') < 0;
        }

        @Override
        public String toString() {
            return target + " (" + defect + ")";
        }
    }

    public static final List<AttackPath> ALL = List.of(
            // escaped slashes and backslashes: nginx decodes %2F into a separator, some servers read \ as /
            AttackPath.refused("/%2fadmin", "escaped slash"),
            AttackPath.refused("/%2F%2Fadmin", "escaped slash"),
            AttackPath.refused("/.%2fadmin", "escaped slash"),
            AttackPath.refused("/%2e%2fadmin", "escaped slash"),
            AttackPath.refused("/..%2fadmin", "escaped slash"),
            AttackPath.refused("/public%2f..%2fadmin", "escaped slash"),
            AttackPath.refused("/public/..%2fadmin", "escaped slash"),
            AttackPath.refused("/admin%2f", "escaped slash"),
            AttackPath.refused("/%5cadmin", "escaped backslash"),
            AttackPath.refused("/public/..%5cadmin", "escaped backslash"),
            AttackPath.refused("/public\\..\\admin", "raw backslash"),
            // path parameters: Tomcat, Jetty and Spring cut ;... off, so ..; climbs
            AttackPath.refused("/public/..;/admin", "dot segment with parameters"),
            AttackPath.refused("/public/..%3b/admin", "dot segment with parameters"),
            AttackPath.refused("/public/.%3Bx/admin", "dot segment with parameters"),
            AttackPath.refused("/%3bx/admin", "empty segment with parameters"),
            AttackPath.refused("/admin;x=1", "path parameters"),
            AttackPath.denied("/admin%3bx", "escaped semicolon kept in its segment"),
            // overlong and otherwise invalid UTF-8: lenient decoders read %c0%ae as '.' and %c0%af as '/'
            AttackPath.refused("/%c0%ae%c0%ae/admin", "overlong UTF-8"),
            AttackPath.refused("/public/%c0%ae%c0%ae/admin", "overlong UTF-8"),
            AttackPath.refused("/public/%e0%80%ae%e0%80%ae/admin", "overlong UTF-8"),
            AttackPath.refused("/public/%c0%afadmin", "overlong UTF-8"),
            AttackPath.refused("/public/%ed%a0%80/../admin", "UTF-8 surrogate"),
            // double encoding: an application that decodes twice reads %252f as /
            AttackPath.refused("/%252fadmin", "double encoding"),
            AttackPath.refused("/public/%252e%252e/admin", "double encoding"),
            // NUL and controls: C applications end the path at the NUL
            AttackPath.refused("/admin%00", "NUL"),
            AttackPath.refused("/admin%00.png", "NUL"),
            AttackPath.refused("/public%0d%0a/../admin", "control character"),
            // what normalises to /admin is judged as /admin
            AttackPath.denied("//admin", "merged slashes"),
            AttackPath.denied("/./admin", "dot segment"),
            AttackPath.denied("/public/../admin", "dot segment"),
            AttackPath.denied("/public/../../admin", "dot segment"),
            AttackPath.denied("/public/%2e%2e/admin", "escaped dot segment"),
            AttackPath.denied("/public/.%2e/admin", "escaped dot segment"),
            AttackPath.denied("/public/x/%2E%2E/%2e%2E/admin", "escaped dot segment"),
            AttackPath.denied("/%61dmin", "escaped letter"),
            AttackPath.denied("/%41dmin/../admin", "escaped letter"),
            AttackPath.denied("/public%3f/../admin", "escaped ? before a dot segment"),
            AttackPath.denied("/public%23/../admin", "escaped # before a dot segment"),
            AttackPath.denied("/admin#/public", "fragment"),
            AttackPath.refused("http://any.example/admin", "absolute form naming another host than Host"),
            AttackPath.denied("/admin/", "plain"),
            // not /admin to anyone, so forwarded as exactly what was judged
            AttackPath.forwarded("/ADMIN", "/ADMIN", "case (nginx, Flask and the JDK are case-sensitive)"),
            AttackPath.forwarded("/public/?/../admin", "/public/?/../admin", "dot segment in the query"),
            AttackPath.forwarded("/public/%ef%bc%8fadmin", "/public/%EF%BC%8Fadmin", "fullwidth solidus"),
            AttackPath.forwarded("/public/x/..", "/public/", "dot segment"),
            AttackPath.forwarded("/public/a%20b", "/public/a%20b", "escaped space"));
}
