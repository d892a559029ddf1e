package dev.portcullis.config.route;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How the request line and Host change on the way upstream.
 *
 * @param prefixRewrite          replace the matched {@code prefix} (or {@code /}) with this
 * @param regexRewritePattern    with {@code regexRewriteSubstitution}: rewrite the path by regex
 * @param regexRewriteSubstitution the substitution, Java syntax ({@code $1}); Go/Envoy {@code \1} is converted on load
 * @param hostRewrite            send this Host upstream
 * @param preserveHostHeader     send the client's Host upstream (otherwise the upstream's authority)
 * @param hostRewriteHeader      send the value of this request header as Host ({@code host_rewrite_header}); when the
 *                               request lacks it or it is empty, the client's Host, as Envoy does. Precedence as in
 *                               Pomerium: {@code host_rewrite}, then this, then {@code host_path_regex_rewrite_*},
 *                               then {@code preserve_host_header}
 * @param hostPathRegexRewritePattern with {@code hostPathRegexRewriteSubstitution}: the Host is the request path
 *                               rewritten by this regex ({@code host_path_regex_rewrite_pattern}), as Envoy's
 *                               {@code host_rewrite_path_regex}
 * @param hostPathRegexRewriteSubstitution the substitution, Java syntax ({@code $1})
 */
public record RequestRewrite(
        Optional<String> prefixRewrite,
        Optional<Pattern> regexRewritePattern,
        Optional<String> regexRewriteSubstitution,
        Optional<String> hostRewrite,
        boolean preserveHostHeader,
        Optional<String> hostRewriteHeader,
        Optional<Pattern> hostPathRegexRewritePattern,
        Optional<String> hostPathRegexRewriteSubstitution) {
    public RequestRewrite {
        requireNonNull(prefixRewrite, "prefixRewrite");
        requireNonNull(regexRewritePattern, "regexRewritePattern");
        requireNonNull(regexRewriteSubstitution, "regexRewriteSubstitution");
        requireNonNull(hostRewrite, "hostRewrite");
        requireNonNull(hostRewriteHeader, "hostRewriteHeader");
        if (hostPathRegexRewritePattern.isPresent() != hostPathRegexRewriteSubstitution.isPresent()) {
            throw new IllegalArgumentException("hostPathRegexRewritePattern and hostPathRegexRewriteSubstitution go together");
        }
        if (regexRewritePattern.isPresent() != regexRewriteSubstitution.isPresent()) {
            throw new IllegalArgumentException("regexRewritePattern and regexRewriteSubstitution go together");
        }
    }

    /** Without {@code host_rewrite_header} and {@code host_path_regex_rewrite_*}. */
    public RequestRewrite(Optional<String> prefixRewrite, Optional<Pattern> regexRewritePattern,
            Optional<String> regexRewriteSubstitution, Optional<String> hostRewrite, boolean preserveHostHeader) {
        this(prefixRewrite, regexRewritePattern, regexRewriteSubstitution, hostRewrite, preserveHostHeader, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /** No rewriting at all. */
    public static RequestRewrite none() {
        return new RequestRewrite(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
    }
}
