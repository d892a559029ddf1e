package dev.portcullis.config.route;

import java.util.List;
import java.util.Map;

/**
 * Header edits of one route. Names keep the case the user wrote; matching is case-insensitive.
 *
 * @param setRequestHeaders    set (replace) on the request to the upstream
 * @param removeRequestHeaders remove from the request to the upstream
 * @param setResponseHeaders   set (replace) on the response to the client
 */
public record HeaderRules(
        Map<String, String> setRequestHeaders,
        List<String> removeRequestHeaders,
        Map<String, String> setResponseHeaders) {
    public HeaderRules {
        setRequestHeaders = Map.copyOf(setRequestHeaders);
        removeRequestHeaders = List.copyOf(removeRequestHeaders);
        setResponseHeaders = Map.copyOf(setResponseHeaders);
    }

    /** No header edits. */
    public static HeaderRules none() {
        return new HeaderRules(Map.of(), List.of(), Map.of());
    }
}
