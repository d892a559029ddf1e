package dev.portcullis.policy.internal.compile;

import static dev.portcullis.policy.internal.compile.Problems.index;
import static dev.portcullis.policy.internal.compile.Problems.key;

import dev.portcullis.policy.internal.criteria.ClientCertificateCriterion;
import dev.portcullis.policy.internal.criteria.SourceIpCriterion;
import dev.portcullis.policy.internal.eval.Condition;
import dev.portcullis.policy.internal.match.IpRange;
import dev.portcullis.policy.internal.match.Scalars;
import dev.portcullis.policy.internal.match.StringMatcher;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the criteria about the connection: {@code source_ip} and {@code client_certificate}. */
final class ConnectionCriteriaReader {

    private static final List<String> CERTIFICATE_KEYS =
            List.of("fingerprint", "spki_hash", "san_email", "san_dns", "san_uri");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final int SHA256_BYTES = 32;

    private final Problems problems;
    private final MatcherReader matchers;

    ConnectionCriteriaReader(Problems problems, MatcherReader matchers) {
        this.problems = problems;
        this.matchers = matchers;
    }

    /** {@code source_ip: 10.0.0.0/8} or a list of addresses and CIDR ranges, v4 or v6. */
    Optional<Condition> sourceIp(String criterionPath, Object value, String path) {
        List<Object> items = value instanceof List<?> list ? new ArrayList<>(list) : null;
        if (items == null) {
            items = new ArrayList<>();
            items.add(value);
        }
        if (items.isEmpty()) {
            problems.add(path, "needs at least one IP address or CIDR range");
            return Optional.empty();
        }
        List<IpRange> ranges = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String itemPath = value instanceof List ? index(path, i) : path;
            Object item = items.get(i);
            IpRange range = item instanceof String s ? IpRange.parse(s.trim()) : null;
            if (range == null) {
                problems.add(itemPath, (item instanceof String s ? "\"" + s + "\"" : Scalars.kind(item))
                        + " is not an IP address or CIDR range (e.g. 192.168.1.0/24, 10.0.0.7 or 2001:db8::/32)");
            } else {
                ranges.add(range);
            }
        }
        return ranges.size() < items.size() ? Optional.empty() : Optional.of(new SourceIpCriterion(criterionPath, ranges));
    }

    /** {@code client_certificate: {fingerprint, spki_hash, san_email, san_dns, san_uri}}, all given ones AND-ed. */
    Optional<Condition> clientCertificate(String criterionPath, Object value, String path) {
        if (!(value instanceof Map<?, ?> map) || map.isEmpty()) {
            problems.add(path, "expected a certificate matcher with one or more of "
                    + String.join(", ", CERTIFICATE_KEYS) + ", found " + Scalars.kind(value));
            return Optional.empty();
        }
        int before = problems.count();
        for (Object k : map.keySet()) {
            String name = String.valueOf(k);
            if (!CERTIFICATE_KEYS.contains(name)) {
                problems.add(path, "unknown certificate matcher \"" + name + "\""
                        + Spelling.didYouMean(name, CERTIFICATE_KEYS) + "; expected " + String.join(", ", CERTIFICATE_KEYS));
            }
        }
        Set<String> fingerprints = hashes(map.get("fingerprint"), key(path, "fingerprint"), true);
        Set<String> spkiHashes = hashes(map.get("spki_hash"), key(path, "spki_hash"), false);
        StringMatcher sanEmail = san(map.get("san_email"), key(path, "san_email"));
        StringMatcher sanDns = san(map.get("san_dns"), key(path, "san_dns"));
        StringMatcher sanUri = san(map.get("san_uri"), key(path, "san_uri"));
        if (problems.count() > before) {
            return Optional.empty();
        }
        return Optional.of(new ClientCertificateCriterion(criterionPath,
                new ClientCertificateCriterion.Conditions(fingerprints, spkiHashes, sanEmail, sanDns, sanUri)));
    }

    private StringMatcher san(Object value, String path) {
        return value == null ? null : matchers.string(value, path).orElse(null);
    }

    /** Fingerprints (normalised to lower-case hex) or SPKI hashes: a string or a list of strings. */
    private Set<String> hashes(Object value, String path, boolean fingerprint) {
        if (value == null) {
            return Set.of();
        }
        List<String> texts = value instanceof String s ? List.of(s) : MatcherReader.texts(value);
        if (texts == null || texts.isEmpty()) {
            problems.add(path, "expected a string or a list of strings, found " + Scalars.kind(value));
            return Set.of();
        }
        Set<String> hashes = new LinkedHashSet<>();
        for (String text : texts) {
            String hash = fingerprint ? fingerprint(text) : spkiHash(text);
            if (hash == null) {
                problems.add(path, "\"" + text + "\" is not " + (fingerprint
                        ? "a SHA-256 fingerprint (64 hex digits, with or without colons)"
                        : "a base64-encoded SHA-256 hash (44 characters)"));
            } else {
                hashes.add(hash);
            }
        }
        return hashes;
    }

    private static String fingerprint(String text) {
        String hex = text.trim().replace(":", "").toLowerCase(Locale.ROOT);
        return SHA256_HEX.matcher(hex).matches() ? hex : null;
    }

    private static String spkiHash(String text) {
        try {
            return Base64.getDecoder().decode(text.trim()).length == SHA256_BYTES ? text.trim() : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
