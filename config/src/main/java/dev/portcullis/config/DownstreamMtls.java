package dev.portcullis.config;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Client certificates on the TLS listener ({@code downstream_mtls}, older {@code client_ca[_file]}), as Pomerium
 * defines them. Present in {@link Options.ServerOptions#downstreamMtls()} only when a CA is configured: without
 * one no client certificate is asked for. With {@code insecure_server} the listener has no TLS, so none is
 * asked for either (the configuration warns).
 *
 * @param caPem                the PEM bundle of trust anchors ({@code ca}, base64 PEM, PEM text or a path, or
 *                             {@code ca_file}); root and intermediate certificates alike; always present when
 *                             this record is, parsed as X.509 when read. Its subject names are advertised in the
 *                             TLS handshake.
 * @param crlPem               PEM certificate revocation lists ({@code crl} or {@code crl_file}), parsed as X.509
 *                             CRLs when read; empty: no revocation check
 * @param enforcement          what a request without a valid client certificate gets
 *                             ({@code policy_with_default_deny} by default)
 * @param matchSubjectAltNames a client certificate is valid only if, for each matcher, one of its subject
 *                             alternative names of that type fully matches the pattern; empty: any
 * @param maxVerifyDepth       the longest accepted chain from the client certificate to a trust anchor, counted
 *                             as Envoy and OpenSSL do ({@code 1}: the client certificate is issued directly by a
 *                             configured CA); {@code 0}: no limit
 */
public record DownstreamMtls(
        Optional<String> caPem,
        Optional<String> crlPem,
        Enforcement enforcement,
        List<SanMatcher> matchSubjectAltNames,
        int maxVerifyDepth) {

    /** {@code max_verify_depth} when unset. */
    public static final int DEFAULT_MAX_VERIFY_DEPTH = 1;

    public DownstreamMtls {
        requireNonNull(caPem, "caPem");
        requireNonNull(crlPem, "crlPem");
        requireNonNull(enforcement, "enforcement");
        matchSubjectAltNames = List.copyOf(matchSubjectAltNames);
        if (maxVerifyDepth < 0) {
            throw new IllegalArgumentException("maxVerifyDepth: " + maxVerifyDepth + " (expected: >= 0)");
        }
    }

    /** What happens to a request without a valid client certificate ({@code downstream_mtls.enforcement}). */
    public enum Enforcement {
        /** Only the route's policy decides ({@code client_certificate}, {@code invalid_client_certificate} criteria). */
        POLICY,
        /** The policy decides, plus an implicit deny of requests without a valid certificate (answered 495). */
        POLICY_WITH_DEFAULT_DENY,
        /** The TLS handshake fails without a valid client certificate; no HTTP answer at all. */
        REJECT_CONNECTION;

        /** The configuration's word: {@code policy_with_default_deny}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A type of subject alternative name, with the word {@code match_subject_alt_names} uses for it. */
    public enum SanType {
        /** rfc822Name. */
        EMAIL,
        /** dNSName. */
        DNS,
        /** iPAddress, as text. */
        IP_ADDRESS,
        /** uniformResourceIdentifier. */
        URI,
        /** otherName of type Microsoft UPN (1.3.6.1.4.1.311.20.2.3). */
        USER_PRINCIPAL_NAME;

        /** The configuration's word: {@code ip_address}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One {@code match_subject_alt_names} entry. Equal when type and pattern text are equal.
     *
     * @param type    which subject alternative names are tried
     * @param pattern must match one of them entirely ({@link java.util.regex.Matcher#matches()}, as Envoy's
     *                {@code safe_regex})
     */
    public record SanMatcher(SanType type, Pattern pattern) {
        public SanMatcher {
            requireNonNull(type, "type");
            requireNonNull(pattern, "pattern");
        }

        /** Whether {@code name} (a subject alternative name of this type) matches. */
        public boolean matches(String name) {
            return pattern.matcher(name).matches();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SanMatcher m && type == m.type && pattern.pattern().equals(m.pattern.pattern());
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + pattern.pattern().hashCode();
        }

        @Override
        public String toString() {
            return type.configName() + ": " + pattern.pattern();
        }
    }
}
