package dev.portcullis.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides which forwarding headers of an incoming request to believe: {@code X-Forwarded-*} and
 * {@code X-Original-Url} only when they come through trusted front proxies. (The trust boundary then
 * removes them all, with {@link OwnedHeaders}; the forwarding step writes its own.)
 *
 * <p>With {@code xff_num_trusted_hops: N} the last N entries of {@code X-Forwarded-For} were
 * written by front proxies this deployment runs (DSM's nginx is one), so the N-th entry from
 * the right is the client; entries left of it are the client's own claims and are dropped.
 * With N = 0 (the default) nothing forwarded is believed and the peer address is the client.
 * A request with fewer entries than N did not pass all the trusted proxies: the peer address
 * is used and nothing is believed.
 */
public final class ForwardedHeaders {
    private static final String X_FORWARDED_FOR = "x-forwarded-for";
    private static final String X_FORWARDED_PROTO = "x-forwarded-proto";
    private static final String X_FORWARDED_HOST = "x-forwarded-host";
    private static final String X_FORWARDED_URI = "x-forwarded-uri";
    private static final String X_FORWARDED_METHOD = "x-forwarded-method";
    private static final String X_ORIGINAL_URL = "x-original-url";

    private final int trustedHops;
    private final boolean skipAppend;

    /**
     * @param trustedHops {@code xff_num_trusted_hops}
     * @param skipAppend  {@code skip_xff_append}: do not add the peer address to {@code X-Forwarded-For}
     */
    public ForwardedHeaders(int trustedHops, boolean skipAppend) {
        if (trustedHops < 0) {
            throw new IllegalArgumentException("trustedHops: " + trustedHops + " (expected: >= 0)");
        }
        this.trustedHops = trustedHops;
        this.skipAppend = skipAppend;
    }

    /** What is believed of {@code headers} from a client at {@code peer}; {@code headers} is left as it is. */
    public ForwardedFacts believe(HttpHeaders headers, InetSocketAddress peer) {
        String peerAddress = peer.getAddress() != null ? peer.getAddress().getHostAddress() : peer.getHostString();
        List<String> chain = forwardedForChain(headers);
        Optional<String> claimedUri = Optional.ofNullable(headers.get(X_FORWARDED_URI));
        boolean checkShaped = claimedUri.isPresent() || headers.contains(X_FORWARDED_METHOD)
                || headers.contains(X_ORIGINAL_URL);
        ForwardedFacts facts;
        if (trustedHops > 0 && chain.size() >= trustedHops) {
            List<String> trusted = new ArrayList<>(chain.subList(chain.size() - trustedHops, chain.size()));
            String client = trusted.get(0);
            if (!skipAppend) {
                trusted.add(peerAddress);
            }
            facts = new ForwardedFacts(client, trusted,
                    lastValue(headers, X_FORWARDED_PROTO), lastValue(headers, X_FORWARDED_HOST),
                    Optional.ofNullable(headers.get(X_FORWARDED_URI)), lastValue(headers, X_FORWARDED_METHOD),
                    Optional.ofNullable(headers.get(X_ORIGINAL_URL)), claimedUri, checkShaped);
        } else {
            facts = new ForwardedFacts(peerAddress, skipAppend ? List.of() : List.of(peerAddress),
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), claimedUri,
                    checkShaped);
        }
        return facts;
    }

    private static List<String> forwardedForChain(HttpHeaders headers) {
        List<String> chain = new ArrayList<>();
        for (String value : headers.getAll(X_FORWARDED_FOR)) {
            for (String entry : value.split(",")) {
                String address = entry.trim();
                if (!address.isEmpty()) {
                    chain.add(address);
                }
            }
        }
        return chain;
    }

    private static Optional<String> lastValue(HttpHeaders headers, String name) {
        List<String> values = headers.getAll(name);
        if (values.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = values.get(values.size() - 1).split(",");
        String value = parts[parts.length - 1].trim();
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
    }
}
