package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portcullis.config.Options.CertificatePair;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.source.UnknownKeys;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Reads the server certificates, in this order: {@code certificate} + {@code certificate_key} (base64
 * PEM, PEM text or paths), {@code certificate_file} + {@code certificate_key_file} (paths), then each
 * {@code certificates:} entry {@code {cert, key}}, then every certificate of Traefik's {@code acme.json}
 * ({@code certificates_from_traefik_acme}, see {@link TraefikAcmeReader}). A certificate without its key, or a
 * key without its certificate, is a problem naming both.
 */
final class CertificatesReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    CertificatesReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    List<CertificatePair> read(SettingMap top) {
        List<CertificatePair> pairs = new ArrayList<>();
        pair(top.get("certificate"), top.get("certificate_key"), ConfigPath.of("certificate"),
                ConfigPath.of("certificate_key"), readers.materials()::pem).ifPresent(pairs::add);
        pair(top.get("certificate_file"), top.get("certificate_key_file"), ConfigPath.of("certificate_file"),
                ConfigPath.of("certificate_key_file"), readers.materials()::pemFile).ifPresent(pairs::add);
        top.get("certificates").ifPresent(certificates -> pairs.addAll(listed(certificates)));
        top.get(TraefikAcmeReader.KEY).ifPresent(acme -> pairs.addAll(new TraefikAcmeReader(readers).read(acme)));
        return pairs;
    }

    private List<CertificatePair> listed(Setting certificates) {
        Optional<Object> value = readers.collections().structure(certificates);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!(value.get() instanceof List<?> entries)) {
            diagnostics.problem(certificates.at(), "expected a list of {cert, key} pairs, found " + describe(value.get()));
            return List.of();
        }
        List<CertificatePair> pairs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Object entry = entries.get(i) == null ? Map.of() : entries.get(i);
            entry(new Setting(certificates.at().index(i), entry)).ifPresent(pairs::add);
        }
        return pairs;
    }

    private Optional<CertificatePair> entry(Setting entry) {
        Optional<Map<String, Object>> map = readers.collections().map(entry);
        if (map.isEmpty()) {
            return Optional.empty();
        }
        SettingMap pair = SettingMap.ofYaml(entry.at(), map.get());
        UnknownKeys unknown = new UnknownKeys(diagnostics);
        pair.keys().forEach(k -> unknown.check(OptionScope.TOP_LEVEL, "certificates[]", entry.at(), k));
        return pair(pair.get("cert"), pair.get("key"), entry.at().key("cert"), entry.at().key("key"),
                readers.materials()::pem);
    }

    private Optional<CertificatePair> pair(Optional<Setting> cert, Optional<Setting> key, ConfigPath certAt,
            ConfigPath keyAt, BiFunction<Setting, PemContent, Optional<String>> pem) {
        if (cert.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (cert.isEmpty() || key.isEmpty()) {
            Setting present = cert.orElseGet(key::orElseThrow);
            ConfigPath missing = cert.isPresent() ? keyAt : certAt;
            diagnostics.problem(present.at(), "is set but " + missing.path() + " is not (a certificate and its private key"
                    + " go together)");
            return Optional.empty();
        }
        Optional<String> certificatePem = pem.apply(cert.get(), PemContent.CERTIFICATE).filter(p -> parses(cert.get(), p));
        Optional<String> keyPem = pem.apply(key.get(), PemContent.PRIVATE_KEY);
        if (certificatePem.isEmpty() || keyPem.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CertificatePair(source(cert.get()), certificatePem.get(), keyPem.get()));
    }

    private boolean parses(Setting cert, String pem) {
        try {
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(UTF_8)));
            return true;
        } catch (CertificateException e) {
            diagnostics.problem(cert.at(), "holds no valid X.509 certificate: " + e.getMessage());
            return false;
        }
    }

    /** Where the pair came from: the setting, and the file when the value was a path. */
    private static String source(Setting cert) {
        String value = String.valueOf(cert.value()).strip();
        try {
            return !value.contains("\n") && Files.isRegularFile(Path.of(value)) ? cert.at() + " " + value : cert.at().toString();
        } catch (InvalidPathException e) {
            return cert.at().toString();
        }
    }
}
