package dev.portcullis.config.route;

import java.util.Locale;
import java.util.Optional;

/**
 * How the assertion's {@code iss} names the route ({@code jwt_issuer_format}, top level and per route; a
 * route's own wins), as Pomerium's {@code IssuerFormat}: the host name alone, or a URI.
 */
public enum JwtIssuerFormat {
    /** {@code iss} is the route's host name without port, scheme or slash: {@code app.example.com} (the default). */
    HOST_ONLY,
    /** {@code iss} is {@code https://<host name>/}: {@code https://app.example.com/}. */
    URI;

    /** The words accepted in YAML, in any case: Pomerium's names, with or without its {@code Issuer} prefix. */
    public static final String[] WORDS = {"hostOnly", "uri", "IssuerHostOnly", "IssuerURI"};

    /** The format {@code word} names (any case, as Pomerium reads its enum), or empty. */
    public static Optional<JwtIssuerFormat> parse(String word) {
        return switch (word.strip().toLowerCase(Locale.ROOT)) {
            case "hostonly", "issuerhostonly" -> Optional.of(HOST_ONLY);
            case "uri", "issueruri" -> Optional.of(URI);
            default -> Optional.empty();
        };
    }

    /** The {@code iss} for a route reached at {@code hostName} (no port). */
    public String issuerFor(String hostName) {
        return this == URI ? "https://" + hostName + "/" : hostName;
    }
}
