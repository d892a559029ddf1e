package dev.portcullis.proxy.pages;

/**
 * The {@code robots.txt} the proxy answers itself, as Pomerium does: on the sign-in host always, and on a
 * route host instead of a sign-in redirect or a refusal, so that search engines index nothing the proxy
 * keeps from strangers (an allowed request gets the application's own {@code /robots.txt}).
 */
public final class RobotsTxt {
    /** Its path. */
    public static final String PATH = "/robots.txt";
    /** Its body: every robot, nothing allowed (Pomerium's exact text, {@code text/plain}). */
    public static final String DISALLOW_ALL = "User-agent: *\nDisallow: /";

    private RobotsTxt() {}
}
