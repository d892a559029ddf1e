package dev.portcullis.policy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link AccessRequest}s for tests: anonymous GET / from 192.0.2.10 at a fixed time unless told otherwise. */
final class Requests {

    static final Instant NOON = Instant.parse("2024-06-12T12:00:00Z"); // a Wednesday

    private Identity identity;
    private String method = "GET";
    private String path = "/";
    private String address = "192.0.2.10";
    private Instant time = NOON;
    private boolean cors;
    private ClientCertificate certificate;
    private boolean invalidCertificate;

    static Requests anonymous() {
        return new Requests();
    }

    /** Signed in with this email; the user id is the part before the {@code @}. */
    static Requests as(String email) {
        return new Requests().identity(new Identity(email.substring(0, email.indexOf('@')), email, List.of(), Map.of()));
    }

    static Requests as(Identity identity) {
        return new Requests().identity(identity);
    }

    Requests identity(Identity identity) {
        this.identity = identity;
        return this;
    }

    Requests method(String method) {
        this.method = method;
        return this;
    }

    Requests path(String path) {
        this.path = path;
        return this;
    }

    Requests from(String address) {
        this.address = address;
        return this;
    }

    Requests at(String instant) {
        this.time = Instant.parse(instant);
        return this;
    }

    Requests corsPreflight() {
        this.cors = true;
        this.method = "OPTIONS";
        return this;
    }

    Requests certificate(ClientCertificate certificate) {
        this.certificate = certificate;
        return this;
    }

    Requests invalidCertificate() {
        this.invalidCertificate = true;
        return this;
    }

    AccessRequest build() {
        return new AccessRequest(Optional.ofNullable(identity), method, path, address, time, cors,
                Optional.ofNullable(certificate), invalidCertificate);
    }
}
