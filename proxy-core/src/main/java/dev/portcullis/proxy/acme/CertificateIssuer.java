package dev.portcullis.proxy.acme;

import dev.portcullis.config.Autocert;
import static java.util.Objects.requireNonNull;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Obtains one certificate from the ACME server (RFC 8555 §7.4): finds or creates the account for
 * the stored account key (agreeing to the terms of service, with the e-mail contact and external
 * account binding when configured), orders the names, answers each authorization with the first
 * of the {@code available} challenges the server offers (TLS-ALPN-01 before HTTP-01) through
 * {@link ChallengeResponses}, finalizes with a new EC P-256 key (with the OCSP must-staple
 * extension of RFC 7633 when configured) and returns the chain and key (the caller stores them). The account key
 * comes from the {@link AutocertStorage}.
 *
 * <p>Polling is bounded: it honours the server's {@code Retry-After}, otherwise waits 0.2 s doubling to
 * 10 s, and gives up after {@code timeout}. Blocking: call it from the autocert thread, never from an
 * event loop. One issuance at a time (the method is synchronized; acme4j's session is not thread-safe).
 */
public final class CertificateIssuer {
    private static final Duration FIRST_POLL = Duration.ofMillis(200);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(10);
    /** id-pe-acmeIdentifier (RFC 8737 §6.1). */
    private static final ASN1ObjectIdentifier ACME_IDENTIFIER =
            new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");
    /** id-pe-tlsfeature (RFC 7633 §6). */
    private static final ASN1ObjectIdentifier TLS_FEATURE =
            new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.24");

    private final Autocert settings;
    private final AutocertStorage store;
    private final ChallengeResponses responses;
    private final Set<ChallengeType> available;
    private final Duration timeout;
    private Session session;
    private Login login;

    /**
     * @param available the challenges the listeners can answer: {@link ChallengeType#TLS_ALPN_01}
     *                  when the TLS listener is on port 443 and selects {@link ChallengeResponses#tlsAlpn01},
     *                  {@link ChallengeType#HTTP_01} when a listener on port 80 answers {@link ChallengeResponses#http01}
     * @param timeout   how long one issuance may wait for the server's validations and signature
     */
    public CertificateIssuer(Autocert settings, AutocertStorage store, ChallengeResponses responses,
            Set<ChallengeType> available, Duration timeout) {
        this.settings = requireNonNull(settings, "settings");
        this.store = requireNonNull(store, "store");
        this.responses = requireNonNull(responses, "responses");
        if (available.isEmpty()) {
            throw new IllegalArgumentException("available: [] (expected: TLS_ALPN_01, HTTP_01 or both)");
        }
        this.available = EnumSet.copyOf(available);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeout = timeout;
    }

    /** Orders, validates and downloads a certificate for {@code names}. */
    public synchronized IssuedCertificate issue(Set<String> names) throws AcmeFailure, InterruptedException {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("names: [] (expected: at least one host name)");
        }
        try {
            Order order = login().newOrder().domains(names).create();
            for (Authorization authorization : order.getAuthorizations()) {
                authorize(authorization);
            }
            if (await(order, "the order for " + names) != Status.READY) {
                throw failure("the order for " + names + " is " + order.getStatus(), order.getError().orElse(null));
            }
            KeyPair domainKey = CertificateStore.newEcKey();
            order.execute(csr(names, domainKey, settings.mustStaple()));
            if (await(order, "the certificate for " + names) != Status.VALID) {
                throw failure("the ACME server did not issue the certificate for " + names, order.getError().orElse(null));
            }
            return download(order.getCertificate(), names, domainKey);
        } catch (AcmeException e) {
            throw new AcmeFailure(describe(e), e);
        } catch (IOException e) {
            throw new AcmeFailure("cannot read the ACME account key or the certificate for " + names + " ("
                    + store.description() + "): " + e.getMessage(), e);
        }
    }

    private Login login() throws AcmeException, IOException, AcmeFailure {
        if (login == null) {
            AccountBuilder account = new AccountBuilder().agreeToTermsOfService().useKeyPair(store.accountKey());
            settings.email().ifPresent(account::addEmail);
            settings.eab().ifPresent(eab -> account.withKeyIdentifier(eab.keyId(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(eab.macKey())));
            login = account.createLogin(session());
        }
        return login;
    }

    private Session session() throws AcmeFailure {
        if (session == null) {
            if (settings.trustedCaPem().isPresent()) {
                try {
                    session = new Session(settings.directoryUrl(), TrustingAcmeProvider.trusting(settings.trustedCaPem().get()));
                } catch (GeneralSecurityException e) {
                    throw new AcmeFailure(e.getMessage(), e);
                }
            } else {
                session = new Session(settings.directoryUrl());
            }
        }
        return session;
    }

    private void authorize(Authorization authorization) throws AcmeException, AcmeFailure, InterruptedException {
        if (authorization.getStatus() == Status.VALID) {
            return;
        }
        String host = authorization.getIdentifier().getDomain();
        Challenge challenge = choose(authorization, host);
        Runnable unpublish = publish(challenge, authorization);
        try {
            challenge.trigger();
            if (await(challenge, "the " + challenge.getType() + " validation of " + host) != Status.VALID) {
                throw failure("the " + challenge.getType() + " validation of " + host + " failed", challenge.getError().orElse(null));
            }
        } finally {
            unpublish.run();
        }
    }

    private Challenge choose(Authorization authorization, String host) throws AcmeFailure {
        for (ChallengeType type : available) { // EnumSet: in preference order
            Optional<Challenge> challenge = authorization.findChallenge(type.acmeName());
            if (challenge.isPresent()) {
                return challenge.get();
            }
        }
        List<String> offered = authorization.getChallenges().stream().map(Challenge::getType).toList();
        throw new AcmeFailure("the ACME server offers no challenge Portcullis can answer for " + host
                + " (offered: " + offered + "; answerable: " + available.stream().map(ChallengeType::acmeName).toList() + ")");
    }

    private Runnable publish(Challenge challenge, Authorization authorization) throws AcmeFailure, InterruptedException {
        if (challenge instanceof Http01Challenge http) {
            try {
                responses.putHttp01(http.getToken(), http.getAuthorization()).toCompletableFuture()
                        .get(RedisCertificateStore.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                responses.removeHttp01(http.getToken());
                throw new AcmeFailure("cannot share the HTTP-01 answer for " + authorization.getIdentifier().getDomain()
                        + " with the other replicas: " + (e instanceof ExecutionException ? e.getCause().getMessage() : "no answer from Redis"), e);
            }
            return () -> responses.removeHttp01(http.getToken());
        }
        TlsAlpn01Challenge tls = (TlsAlpn01Challenge) challenge;
        String host = authorization.getIdentifier().getDomain();
        KeyPair key = CertificateStore.newEcKey();
        try {
            X509Certificate certificate = validationCertificate(host, tls.getAcmeValidation(), key);
            SslContext context = SslContextBuilder.forServer(key.getPrivate(), certificate)
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2") // RFC 8737 §3: TLS 1.2 or later
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            ChallengeResponses.ACME_TLS_1))
                    .build();
            responses.putTlsAlpn01(host, context);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new AcmeFailure("cannot build the TLS-ALPN-01 validation context for " + host + ": " + e.getMessage(), e);
        }
        return () -> responses.removeTlsAlpn01(host);
    }

    /**
     * The self-signed validation certificate of RFC 8737 §3: the host as its only subject alternative
     * name and the critical acmeIdentifier extension holding the SHA-256 digest of the key authorization.
     * Built here rather than with acme4j's {@code TlsAlpn01Challenge.createCertificate}, which needs
     * Bouncy Castle registered as a global security provider.
     */
    private static X509Certificate validationCertificate(String host, byte[] acmeValidation, KeyPair key)
            throws IOException, OperatorCreationException, GeneralSecurityException {
        X500Name subject = new X500Name("CN=acme-tls-alpn-01");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(subject,
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(7))),
                subject, key.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, host)));
        builder.addExtension(ACME_IDENTIFIER, true, new DEROctetString(acmeValidation));
        return new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    }

    /** Polls until the resource is no longer pending or processing; returns its status. */
    private Status await(PollableResource resource, String what) throws AcmeException, AcmeFailure, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Duration interval = FIRST_POLL;
        while (true) {
            Optional<Instant> retryAfter = resource.fetch();
            Status status = resource.getStatus();
            if (status != Status.PENDING && status != Status.PROCESSING) {
                return status;
            }
            long waitMillis = interval.toMillis();
            if (retryAfter.isPresent()) {
                waitMillis = Math.max(waitMillis, Duration.between(Instant.now(), retryAfter.get()).toMillis());
            }
            if (System.nanoTime() + waitMillis * 1_000_000 - deadline > 0) {
                throw new AcmeFailure("timed out after " + timeout.toSeconds() + " s waiting for " + what + " (status " + status + ")");
            }
            Thread.sleep(waitMillis);
            interval = interval.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : interval.multipliedBy(2);
        }
    }

    /** The signing request: the names as DNS subject alternative names, the first (if short enough) as common name. */
    static PKCS10CertificationRequest csr(Set<String> names, KeyPair key, boolean mustStaple) throws AcmeFailure {
        TreeSet<String> sorted = new TreeSet<>(names);
        try {
            String first = sorted.first();
            X500Name subject = first.length() <= 64 ? new X500Name("CN=" + first) : new X500Name(new RDN[0]);
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    sorted.stream().map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new)));
            if (mustStaple) {
                // TLS Feature extension (RFC 7633 §4) listing status_request (5): OCSP must-staple.
                extensions.addExtension(TLS_FEATURE, false, new DERSequence(new ASN1Integer(5)));
            }
            return new JcaPKCS10CertificationRequestBuilder(subject, key.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        } catch (IOException | OperatorCreationException e) {
            throw new AcmeFailure("cannot build the certificate signing request for " + names + ": " + e.getMessage(), e);
        }
    }

    private static IssuedCertificate download(Certificate certificate, Set<String> names, KeyPair key)
            throws AcmeException, IOException {
        certificate.download();
        StringWriter chain = new StringWriter();
        certificate.writeCertificate(chain);
        X509Certificate leaf = certificate.getCertificate();
        return new IssuedCertificate(names, chain.toString(), CertificateStore.privateKeyPem(key.getPrivate()),
                leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
    }

    private static AcmeFailure failure(String what, Problem problem) {
        return new AcmeFailure(problem == null ? what : what + ": " + problem);
    }

    private String describe(AcmeException e) {
        if (e instanceof AcmeNetworkException) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof SSLHandshakeException) {
                    return "cannot reach the ACME server " + settings.directoryUrl() + ": its HTTPS certificate is not trusted ("
                            + rootMessage(cause) + "); when it uses a private CA, set autocert_trusted_ca to that CA";
                }
            }
            return "cannot reach the ACME server " + settings.directoryUrl() + ": " + rootMessage(e);
        }
        if (e instanceof AcmeServerException server) {
            return "the ACME server " + settings.directoryUrl() + " refused: " + server.getProblem();
        }
        return "ACME error with " + settings.directoryUrl() + ": " + e.getMessage();
    }

    private static String rootMessage(Throwable e) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause.getMessage() != null) {
                messages.add(cause.getMessage());
            }
        }
        return messages.isEmpty() ? e.toString() : messages.get(messages.size() - 1);
    }
}
