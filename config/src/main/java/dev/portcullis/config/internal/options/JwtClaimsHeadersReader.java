package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.HttpToken;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.ValueReaders;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code jwt_claims_headers} into header name → claim name, in configuration order. A list
 * ({@code [email, groups]}, or {@code email,groups} from the environment) sends each claim as
 * {@code X-Pomerium-Claim-<claim>}, the claim name kept as is; a map ({@code {X-Email: email}}) names
 * the header. Header names must be HTTP tokens (RFC 9110 §5.1), appear once (ignoring case), and not be
 * one the proxy sets itself or one that frames the request.
 */
final class JwtClaimsHeadersReader {

    static final String LISTED_PREFIX = "X-Pomerium-Claim-";

    /** Headers a claim may not be sent as, lower case, each with the reason. */
    private static final Map<String, String> RESERVED = reserved();

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    JwtClaimsHeadersReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    Map<String, String> read(Setting s) {
        Map<String, String> headers = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        Object value = readers.collections().listOrMap(s).map(Object.class::cast).orElse(List.of());
        if (value instanceof Map<?, ?> mapped) {
            mapped.forEach((header, claim) -> mapped(s.at().key(String.valueOf(header)), String.valueOf(header).strip(),
                    String.valueOf(claim).strip(), headers, seen));
        } else {
            for (Object claim : (List<?>) value) {
                listed(s.at(), String.valueOf(claim).strip(), headers, seen);
            }
        }
        return headers;
    }

    private void listed(ConfigPath at, String claim, Map<String, String> headers, Set<String> seen) {
        String header = LISTED_PREFIX + claim;
        if (claim.isEmpty()) {
            diagnostics.problem(at, "an entry names no claim (expected e.g. [email, groups])");
        } else if (!HttpToken.is(header)) {
            diagnostics.problem(at, "claim " + quote(claim) + " would be sent as " + quote(header) + ", which is not a"
                    + " header name (" + HttpToken.EXPECTED + "); map it to one instead, e.g. {X-Claim: " + claim + "}");
        } else {
            add(at, header, claim, headers, seen);
        }
    }

    private void mapped(ConfigPath at, String header, String claim, Map<String, String> headers, Set<String> seen) {
        String reason = RESERVED.get(header.toLowerCase(Locale.ROOT));
        if (!HttpToken.is(header)) {
            diagnostics.problem(at, quote(header) + " is not a header name (expected " + HttpToken.EXPECTED
                    + ", e.g. X-Email)");
        } else if (reason != null) {
            diagnostics.problem(at, quote(header) + " cannot carry a claim: " + reason);
        } else if (claim.isEmpty()) {
            diagnostics.problem(at, "names no claim (expected e.g. {X-Email: email})");
        } else {
            add(at, header, claim, headers, seen);
        }
    }

    private void add(ConfigPath at, String header, String claim, Map<String, String> headers, Set<String> seen) {
        if (!seen.add(header.toLowerCase(Locale.ROOT))) {
            diagnostics.problem(at, "header " + quote(header) + " is listed twice (header names ignore case)");
        } else {
            headers.put(header, claim);
        }
    }

    private static Map<String, String> reserved() {
        String own = "the proxy sets it itself";
        String framing = "it is a hop-by-hop or framing header (RFC 9110 §7.6.1, RFC 9112 §6)";
        Map<String, String> reserved = new LinkedHashMap<>();
        reserved.put("x-pomerium-jwt-assertion", "it carries the signed identity assertion");
        reserved.put("cookie", own);
        reserved.put("host", own);
        reserved.put("authorization", "it carries credentials");
        for (String name : List.of("content-length", "transfer-encoding", "connection", "keep-alive", "te", "trailer",
                "upgrade", "proxy-connection", "proxy-authorization")) {
            reserved.put(name, framing);
        }
        return Map.copyOf(reserved);
    }
}
