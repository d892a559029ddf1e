package dev.portcullis.proxy.access;

import dev.portcullis.authn.session.Session;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Optional;

/**
 * What an access check may look at: method, normalised path, client address, the request headers
 * (after untrusted headers were removed), and the signed-in user's session, if any.
 */
public record AccessRequestFacts(String method, String path, String clientAddress, HttpHeaders headers,
        Optional<Session> session) {}
