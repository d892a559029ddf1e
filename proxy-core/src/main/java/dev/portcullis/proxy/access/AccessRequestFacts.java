package dev.portcullis.proxy.access;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * What an access check may look at: method, normalised path, client address and the request
 * headers (cookies, authorization), after untrusted headers were removed.
 */
public record AccessRequestFacts(String method, String path, String clientAddress, HttpHeaders headers) {}
