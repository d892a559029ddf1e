package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;
import static java.nio.charset.StandardCharsets.UTF_8;

import dev.portcullis.config.Autocert;
import dev.portcullis.config.Autocert.ExternalAccountBinding;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Base64Text;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.Optional;

/**
 * Reads the {@code autocert*} options into {@link Autocert}. The directory is {@code autocert_ca}, else Let's
 * Encrypt staging with {@code autocert_use_staging}, else Let's Encrypt production. The external account binding
 * needs both its key id and its MAC key (base64url). {@code autocert} with {@code insecure_server} is a problem.
 */
final class AutocertReader {

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    AutocertReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    Autocert read(SettingMap top, boolean insecureServer) {
        ScalarReader scalars = readers.scalars();
        boolean enabled = top.get("autocert").flatMap(scalars::bool).orElse(false);
        if (enabled && insecureServer) {
            diagnostics.problem(top.get("autocert").orElseThrow().at(), "cannot be used with insecure_server: the"
                    + " listener serves plain HTTP, so ACME certificates would never be served (turn one of them off)");
        }
        Path dir = top.get("autocert_dir").flatMap(this::directory).orElse(Autocert.DEFAULT_DIR);
        Optional<URI> ca = top.get("autocert_ca").flatMap(scalars::httpUrl);
        boolean staging = top.get("autocert_use_staging").flatMap(scalars::bool).orElse(false);
        if (staging && top.has("autocert_ca")) {
            diagnostics.warning(top.get("autocert_use_staging").orElseThrow().at() + ": has no effect with autocert_ca"
                    + " set (the directory autocert_ca names is used)");
        }
        URI directory = ca.orElse(staging ? Autocert.LETS_ENCRYPT_STAGING : Autocert.LETS_ENCRYPT);
        Optional<String> email = top.get("autocert_email").flatMap(scalars::text).map(String::strip).filter(e -> !e.isEmpty());
        boolean mustStaple = top.get("autocert_must_staple").flatMap(scalars::bool).orElse(false);
        return new Autocert(enabled, dir, directory, email, mustStaple, eab(top), trustedCa(top));
    }

    private Optional<Path> directory(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip);
        if (text.isPresent() && text.get().isEmpty()) {
            diagnostics.problem(s.at(), "is empty (expected a directory, e.g. /data/autocert)");
            return Optional.empty();
        }
        try {
            return text.map(Path::of);
        } catch (InvalidPathException e) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not a path: " + e.getReason());
            return Optional.empty();
        }
    }

    private Optional<ExternalAccountBinding> eab(SettingMap top) {
        Optional<Setting> keyId = top.get("autocert_eab_key_id");
        Optional<Setting> macKey = top.get("autocert_eab_mac_key");
        if (keyId.isEmpty() && macKey.isEmpty()) {
            return Optional.empty();
        }
        if (keyId.isEmpty() || macKey.isEmpty()) {
            Setting present = keyId.orElseGet(macKey::orElseThrow);
            String missing = keyId.isPresent() ? "autocert_eab_mac_key" : "autocert_eab_key_id";
            diagnostics.problem(present.at(), "is set but " + missing + " is not (an external account binding needs"
                    + " both the key id and the MAC key the CA gave)");
            return Optional.empty();
        }
        Optional<String> id = readers.scalars().text(keyId.get()).map(String::strip);
        Optional<byte[]> mac = readers.scalars().text(macKey.get()).flatMap(text -> macKey(macKey.get().at(), text));
        return id.flatMap(i -> mac.map(m -> new ExternalAccountBinding(i, m)));
    }

    private Optional<byte[]> macKey(ConfigPath at, String text) {
        Optional<byte[]> bytes = Base64Text.decode(text.strip()).filter(b -> b.length > 0);
        if (bytes.isEmpty()) {
            diagnostics.problem(at, "is not valid base64url (expected the MAC key the CA gave, as it gave it)");
        }
        return bytes;
    }

    private Optional<String> trustedCa(SettingMap top) {
        Optional<Setting> s = new AlternativeKeys(diagnostics).choose(top, "autocert_trusted_ca", "autocert_trusted_ca_file");
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Setting setting = s.get();
        Optional<String> pem = setting.at().path().endsWith("_file")
                ? readers.materials().pemFile(setting, PemContent.CERTIFICATE)
                : readers.materials().pem(setting, PemContent.CERTIFICATE);
        return pem.filter(p -> parses(setting, p));
    }

    private boolean parses(Setting s, String pem) {
        try {
            if (!CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(UTF_8)))
                    .isEmpty()) {
                return true;
            }
            diagnostics.problem(s.at(), "holds no valid X.509 certificate");
        } catch (CertificateException e) {
            diagnostics.problem(s.at(), "holds no valid X.509 certificate: " + e.getMessage());
        }
        return false;
    }
}
