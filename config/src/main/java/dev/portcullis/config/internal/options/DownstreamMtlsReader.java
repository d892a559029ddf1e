package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static dev.portcullis.config.internal.value.ValueText.quote;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portcullis.config.DownstreamMtls;
import dev.portcullis.config.DownstreamMtls.Enforcement;
import dev.portcullis.config.DownstreamMtls.SanMatcher;
import dev.portcullis.config.DownstreamMtls.SanType;
import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.routes.Re2Regex;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads {@code downstream_mtls} ({@code ca} or {@code ca_file}, older {@code client_ca} or {@code client_ca_file};
 * {@code crl} or {@code crl_file}, older {@code client_crl} or {@code client_crl_file}; {@code enforcement}; {@code match_subject_alt_names}; {@code max_verify_depth}).
 * The CA must hold X.509 certificates and the CRL X.509 CRLs. Settings without a CA have no effect, and a CA
 * with {@code insecure_server} is never used: both are warnings.
 */
final class DownstreamMtlsReader {

    private static final String SECTION = "downstream_mtls";
    private static final List<String> SAN_TYPES = Stream.of(SanType.values()).map(SanType::configName).toList();

    private final ValueReaders readers;
    private final Diagnostics diagnostics;
    private final AlternativeKeys alternatives;

    DownstreamMtlsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
        this.alternatives = new AlternativeKeys(diagnostics);
    }

    Optional<DownstreamMtls> read(SettingMap top, boolean insecureServer) {
        int before = diagnostics.problemCount();
        Optional<Setting> caSetting = alternatives.choose(top, SECTION + ".ca", SECTION + ".ca_file", "client_ca",
                "client_ca_file");
        Optional<String> ca = caSetting.flatMap(this::ca);
        Optional<Setting> crlSetting = alternatives.choose(top, SECTION + ".crl", SECTION + ".crl_file", "client_crl",
                "client_crl_file");
        Optional<String> crl = crlSetting.flatMap(this::crl);
        Enforcement enforcement = top.get(SECTION + ".enforcement").flatMap(this::enforcement)
                .orElse(Enforcement.POLICY_WITH_DEFAULT_DENY);
        List<SanMatcher> sans = top.get(SECTION + ".match_subject_alt_names").map(this::sanMatchers).orElse(List.of());
        int depth = top.get(SECTION + ".max_verify_depth")
                .flatMap(s -> readers.scalars().integer(s, 0, Integer.MAX_VALUE))
                .orElse(DownstreamMtls.DEFAULT_MAX_VERIFY_DEPTH);
        if (caSetting.isEmpty()) {
            warnWithoutCa(top);
            return Optional.empty();
        }
        if (insecureServer) {
            diagnostics.warning(caSetting.get().at() + ": client certificates need TLS on this listener; with"
                    + " insecure_server they are never asked for"
                    + (enforcement == Enforcement.POLICY ? ""
                            : ", so with enforcement " + enforcement.configName() + " every request is refused (495)"));
        }
        if (diagnostics.problemCount() > before || ca.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new DownstreamMtls(ca, crl, enforcement, sans, depth));
    }

    private Optional<String> ca(Setting s) {
        Optional<String> pem = s.at().path().endsWith("_file")
                ? readers.materials().pemFile(s, PemContent.CERTIFICATE)
                : readers.materials().pem(s, PemContent.CERTIFICATE);
        return pem.filter(p -> parses(s, p, "X.509 certificate", false));
    }

    private Optional<String> crl(Setting s) {
        Optional<String> pem = s.at().path().endsWith("_file")
                ? readers.materials().pemFile(s, PemContent.CRL)
                : readers.materials().pem(s, PemContent.CRL);
        return pem.filter(p -> parses(s, p, "X.509 certificate revocation list", true));
    }

    private boolean parses(Setting s, String pem, String what, boolean crl) {
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            ByteArrayInputStream in = new ByteArrayInputStream(pem.getBytes(UTF_8));
            if (!(crl ? factory.generateCRLs(in) : factory.generateCertificates(in)).isEmpty()) {
                return true;
            }
            diagnostics.problem(s.at(), "holds no valid " + what);
        } catch (GeneralSecurityException e) {
            diagnostics.problem(s.at(), "holds no valid " + what + ": " + e.getMessage());
        }
        return false;
    }

    private Optional<Enforcement> enforcement(Setting s) {
        List<String> choices = OptionCatalogue.find(OptionScope.TOP_LEVEL, SECTION + ".enforcement").orElseThrow().choices();
        return readers.scalars().choice(s, choices).map(c -> Enforcement.valueOf(c.toUpperCase(Locale.ROOT)));
    }

    /** Pomerium's map of SAN type to regular expression; a list of such one-entry maps is read too. */
    private List<SanMatcher> sanMatchers(Setting s) {
        Optional<Object> value = readers.collections().structure(s);
        if (value.isEmpty()) {
            return List.of();
        }
        List<SanMatcher> matchers = new ArrayList<>();
        if (value.get() instanceof List<?> entries) {
            for (int i = 0; i < entries.size(); i++) {
                Object entry = entries.get(i);
                if (entry instanceof Map<?, ?> map) {
                    sanMap(new Setting(s.at().index(i), map), map, matchers);
                } else {
                    diagnostics.problem(s.at().index(i), "expected a map of SAN type to regular expression, found "
                            + (entry == null ? "nothing" : describe(entry)));
                }
            }
        } else if (value.get() instanceof Map<?, ?> map) {
            sanMap(s, map, matchers);
        } else {
            diagnostics.problem(s.at(), "expected a map of SAN type to regular expression (e.g. {email: \".*@example\\\\.com\"}),"
                    + " found " + describe(value.get()));
        }
        return matchers;
    }

    private void sanMap(Setting s, Map<?, ?> map, List<SanMatcher> matchers) {
        map.forEach((k, v) -> {
            String type = String.valueOf(k).strip().toLowerCase(Locale.ROOT);
            Setting entry = new Setting(s.at().key(String.valueOf(k)), v == null ? "" : v);
            if (!SAN_TYPES.contains(type)) {
                diagnostics.problem(entry.at(), quote(String.valueOf(k)) + " is not a SAN type (expected one of "
                        + String.join(", ", SAN_TYPES) + ")");
                return;
            }
            readers.scalars().text(entry).flatMap(regex -> new Re2Regex(diagnostics).compile(entry.at(), regex))
                    .ifPresent(p -> matchers.add(new SanMatcher(SanType.valueOf(type.toUpperCase(Locale.ROOT)), p)));
        });
    }

    private void warnWithoutCa(SettingMap top) {
        List<String> set = Stream.concat(Stream.of("crl", "crl_file", "enforcement", "match_subject_alt_names",
                        "max_verify_depth").map(k -> SECTION + "." + k), Stream.of("client_crl", "client_crl_file"))
                .filter(top::has).toList();
        if (!set.isEmpty()) {
            diagnostics.warning(String.join(", ", set) + (set.size() == 1 ? " has" : " have") + " no effect without"
                    + " downstream_mtls.ca or downstream_mtls.ca_file: no client certificate is asked for");
        }
    }
}
