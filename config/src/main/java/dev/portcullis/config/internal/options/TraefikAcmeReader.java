package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.config.Options.CertificatePair;
import dev.portcullis.config.internal.value.Base64Text;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.ValueReaders;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code certificates_from_traefik_acme}: every certificate in the {@code acme.json} that Traefik's
 * ACME resolver writes, in file order. Two layouts exist:
 * <ul>
 *   <li>Traefik v2 and v3: resolvers by name, {@code {"le": {"Account": {…}, "Certificates": [{"domain":
 *       {"main": "a.example", "sans": […]}, "certificate": "<base64 PEM chain>", "key": "<base64 PEM key>",
 *       "Store": "default"}]}}}; {@code Certificates} is null or absent while a resolver has none;</li>
 *   <li>Traefik v1: one account, {@code {"Account": {…}, "Certificates": [{"Domain": {"Main": …, "SANs": […]},
 *       "Certificate": "<base64>", "Key": "<base64>"}]}}.</li>
 * </ul>
 * Every resolver is taken. A file with no certificate at all is a warning, not a problem: Traefik writes it
 * before its first certificate is issued. Messages name the resolver and the domain, never key material.
 */
final class TraefikAcmeReader {

    static final String KEY = "certificates_from_traefik_acme";
    private static final String LAYOUTS = "expected Traefik's acme.json: {\"<resolver>\": {\"Account\": …,"
            + " \"Certificates\": […]}} (v2, v3) or {\"Account\": …, \"Certificates\": […]} (v1)";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    TraefikAcmeReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    /** The certificates of the file {@code s} names; empty after reporting a problem. */
    List<CertificatePair> read(Setting s) {
        Optional<String> path = readers.scalars().text(s).map(String::strip);
        if (path.isPresent() && path.get().isEmpty()) {
            diagnostics.problem(s.at(), "is empty (expected the path of Traefik's acme.json)");
            return List.of();
        }
        Optional<String> text = path.flatMap(p -> readers.materials().readFile(s.at(), p));
        if (text.isEmpty()) {
            return List.of();
        }
        AcmeFile file = new AcmeFile(s, path.get());
        Optional<JsonNode> top = file.parse(text.get());
        if (top.isEmpty()) {
            return List.of();
        }
        int before = diagnostics.problemCount();
        List<CertificatePair> pairs = file.certificates(top.get());
        if (diagnostics.problemCount() > before) {
            return List.of();
        }
        if (pairs.isEmpty()) {
            diagnostics.warning(s.at() + ": " + quote(path.get()) + " holds no certificates yet (Traefik writes it before"
                    + " its first certificate is issued); the server uses its other certificates");
        }
        return pairs;
    }

    /** One {@code acme.json}: where it was named, and its path for messages and sources. */
    private final class AcmeFile {

        private final Setting setting;
        private final String path;

        AcmeFile(Setting setting, String path) {
            this.setting = setting;
            this.path = path;
        }

        Optional<JsonNode> parse(String text) {
            if (text.isBlank()) {
                return Optional.of(JSON.createObjectNode());
            }
            try {
                JsonNode top = JSON.readTree(text);
                if (top.isObject()) {
                    return Optional.of(top);
                }
                problem("is not a Traefik acme.json: found JSON " + top.getNodeType().name().toLowerCase(Locale.ROOT)
                        + " at the top (" + LAYOUTS + ")");
            } catch (JsonProcessingException e) {
                // the location only: Jackson's message may quote the file, which holds private keys
                problem("is not JSON" + (e.getLocation() == null ? "" : " (at line " + e.getLocation().getLineNr()
                        + ", column " + e.getLocation().getColumnNr() + ")"));
            }
            return Optional.empty();
        }

        List<CertificatePair> certificates(JsonNode top) {
            if (top.has("Account") || top.has("Certificates")) {
                return resolver(Optional.empty(), top);
            }
            List<CertificatePair> pairs = new ArrayList<>();
            for (Map.Entry<String, JsonNode> resolver : top.properties()) {
                if (!resolver.getValue().isObject()
                        || !(resolver.getValue().has("Account") || resolver.getValue().has("Certificates"))) {
                    problem("is not a Traefik acme.json: " + quote(resolver.getKey()) + " is not a resolver with"
                            + " Account and Certificates (" + LAYOUTS + ")");
                    continue;
                }
                pairs.addAll(resolver(Optional.of(resolver.getKey()), resolver.getValue()));
            }
            return pairs;
        }

        private List<CertificatePair> resolver(Optional<String> name, JsonNode resolver) {
            JsonNode certificates = resolver.path("Certificates");
            if (certificates.isMissingNode() || certificates.isNull()) {
                return List.of();
            }
            String where = name.map(n -> "resolver " + quote(n)).orElse("the file");
            if (!certificates.isArray()) {
                problem("is not a Traefik acme.json: Certificates of " + where + " is not a list (" + LAYOUTS + ")");
                return List.of();
            }
            List<CertificatePair> pairs = new ArrayList<>();
            for (int i = 0; i < certificates.size(); i++) {
                entry(name, i, certificates.get(i)).ifPresent(pairs::add);
            }
            return pairs;
        }

        private Optional<CertificatePair> entry(Optional<String> resolver, int index, JsonNode entry) {
            String domain = field(field(entry, "domain"), "main").asText("");
            String which = resolver.map(r -> "resolver " + quote(r) + ", ").orElse("")
                    + (domain.isEmpty() ? "Certificates[" + index + "]" : "certificate for " + quote(domain));
            Optional<String> certificatePem = pem(which, field(entry, "certificate"), "certificate", PemContent.CERTIFICATE)
                    .filter(pem -> parses(which, pem));
            Optional<String> keyPem = pem(which, field(entry, "key"), "key", PemContent.PRIVATE_KEY);
            if (certificatePem.isEmpty() || keyPem.isEmpty()) {
                return Optional.empty();
            }
            String source = setting.at() + " " + path + " ("
                    + resolver.map(r -> "resolver " + r + ", ").orElse("") + (domain.isEmpty() ? "#" + index : domain) + ")";
            return Optional.of(new CertificatePair(source, certificatePem.get(), keyPem.get()));
        }

        private Optional<String> pem(String which, JsonNode value, String name, PemContent content) {
            if (!value.isTextual() || value.asText().isBlank()) {
                problem(which + ": " + name + " is missing");
                return Optional.empty();
            }
            Optional<String> pem = Base64Text.decode(value.asText()).map(b -> new String(b, UTF_8)).filter(content::foundIn);
            if (pem.isEmpty()) {
                problem(which + ": " + name + " is not base64 of " + content.description());
            }
            return pem;
        }

        private boolean parses(String which, String pem) {
            try {
                CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(UTF_8)));
                return true;
            } catch (CertificateException e) {
                problem(which + ": certificate holds no valid X.509 certificate: " + e.getMessage());
                return false;
            }
        }

        private void problem(String message) {
            diagnostics.problem(setting.at(), quote(path) + " " + message);
        }
    }

    /** {@code name} as Traefik v2 writes it ({@code domain}), or capitalised as v1 does ({@code Domain}). */
    private static JsonNode field(JsonNode node, String name) {
        JsonNode lower = node.path(name);
        return lower.isMissingNode() ? node.path(Character.toUpperCase(name.charAt(0)) + name.substring(1)) : lower;
    }
}
