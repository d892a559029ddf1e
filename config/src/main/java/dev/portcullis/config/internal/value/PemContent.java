package dev.portcullis.config.internal.value;

import java.util.regex.Pattern;

/** What a PEM value must hold. */
public enum PemContent {
    /** A certificate (chain): {@code -----BEGIN CERTIFICATE-----}. */
    CERTIFICATE("a PEM certificate", "-----BEGIN CERTIFICATE-----"),
    /** A private key: PKCS#8, PKCS#1 or SEC 1 ({@code -----BEGIN … PRIVATE KEY-----}). */
    PRIVATE_KEY("a PEM private key", "-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    /** A certificate revocation list: {@code -----BEGIN X509 CRL-----}. */
    CRL("a PEM certificate revocation list", "-----BEGIN X509 CRL-----"),
    /** Any PEM block (a CA bundle, a CRL). */
    ANY("PEM", "-----BEGIN [A-Z0-9 ]+-----");

    private final String description;
    private final Pattern begin;

    PemContent(String description, String beginLine) {
        this.description = description;
        this.begin = Pattern.compile(beginLine);
    }

    /** Whether {@code text} holds such a block. */
    public boolean foundIn(String text) {
        return begin.matcher(text).find();
    }

    /** For messages: {@code a PEM certificate}. */
    public String description() {
        return description;
    }
}
