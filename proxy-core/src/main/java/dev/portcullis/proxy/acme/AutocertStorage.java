package dev.portcullis.proxy.acme;

import java.io.IOException;
import java.security.KeyPair;
import java.util.Optional;
import java.util.Set;

/**
 * Where autocert keeps the ACME account key and the certificates it obtained, and how it makes sure one process
 * orders a certificate at a time: {@link CertificateStore} (files in {@code autocert_dir}, one process) or
 * {@link RedisCertificateStore} (every replica on one Redis).
 *
 * <p>Blocking: call it from the autocert thread, never from an event loop. A failure to reach the storage is an
 * {@link IOException}.
 */
public interface AutocertStorage {

    /** The account key pair, created (EC P-256) and stored on first use; every caller gets the same one. */
    KeyPair accountKey() throws IOException;

    /**
     * The stored certificate for exactly {@code names}, when there is one whose key matches its leaf and whose leaf
     * covers every name (expired or not: the caller decides).
     */
    Optional<IssuedCertificate> load(Set<String> names) throws IOException;

    /** Stores {@code certificate} under its names, replacing what was there. */
    void save(IssuedCertificate certificate) throws IOException;

    /**
     * The right to order the certificate for {@code names}: empty while another process holds it (it is ordering;
     * wait and {@link #load} what it stored). The storage of a single process always grants it.
     */
    Optional<IssuanceLock> lock(Set<String> names) throws IOException;

    /**
     * Calls {@code changed} whenever another process may have stored a certificate (on any thread; it must not
     * block). The storage of a single process never calls it.
     */
    default void watch(Runnable changed) {}

    /** Where this is, for log lines: the directory, or Redis and its keys. */
    String description();

    /** A held issuance lock; {@link #close} releases it (never throws: a lock not released expires). */
    interface IssuanceLock extends AutoCloseable {
        @Override
        void close();
    }
}
