package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.Options.IdentityOptions;
import dev.portcullis.config.route.JwtIssuerFormat;
import dev.portcullis.config.SigningKeyCheck;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.DomainName;
import dev.portcullis.config.internal.value.PemContent;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads what upstreams learn about the user and where the browser may be sent: the signing key,
 * {@code jwt_claims_headers}, {@code pass_identity_headers} (true by default, unlike Pomerium ≥ 0.10),
 * {@code programmatic_redirect_domain_whitelist}, {@code signout_redirect_url}, the sign-in
 * {@code runtime_flags} and {@code jwt_issuer_format} (Pomerium's words, any case; {@code hostOnly} by default).
 */
final class IdentityOptionsReader {

    private static final List<String> DEFAULT_REDIRECT_DOMAINS = List.of("localhost");

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    private final SigningKeyCheck signingKeyCheck;

    IdentityOptionsReader(ValueReaders readers, SigningKeyCheck signingKeyCheck) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
        this.signingKeyCheck = signingKeyCheck;
    }

    IdentityOptions read(SettingMap top) {
        ScalarReader scalars = readers.scalars();
        return new IdentityOptions(
                signingKey(top),
                top.get("jwt_claims_headers").map(new JwtClaimsHeadersReader(readers)::read).orElse(Map.of()),
                top.get("pass_identity_headers").flatMap(scalars::bool).orElse(true),
                top.get("programmatic_redirect_domain_whitelist").map(this::hostNames).orElse(DEFAULT_REDIRECT_DOMAINS),
                top.get("signout_redirect_url").flatMap(scalars::httpUrl),
                top.get("runtime_flags.pomerium_jwt_endpoint").flatMap(scalars::bool).orElse(false),
                top.get("runtime_flags.allow_any_sign_out_redirect_uri").flatMap(scalars::bool).orElse(false),
                top.get("jwt_issuer_format").flatMap(s -> scalars.choice(s, List.of(JwtIssuerFormat.WORDS)))
                        .flatMap(JwtIssuerFormat::parse).orElse(JwtIssuerFormat.HOST_ONLY),
                new AlternativeKeys(diagnostics).choose(top, "routes_portal", "runtime_flags.routes_portal")
                        .flatMap(scalars::bool).orElse(true));
    }

    /**
     * The PEM text of {@code signing_key} (base64 of PEM) or {@code signing_key_file}, when the signer can
     * use it: the {@link SigningKeyCheck} is the signer's own parser, so a key {@code serve} would refuse is
     * a problem here, naming the key.
     */
    private Optional<String> signingKey(SettingMap top) {
        Optional<Setting> setting = new AlternativeKeys(diagnostics).choose(top, "signing_key", "signing_key_file");
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        Setting s = setting.get();
        Optional<String> pem = s.at().path().equals("signing_key")
                ? readers.materials().pem(s, PemContent.PRIVATE_KEY)
                : readers.materials().pemFile(s, PemContent.PRIVATE_KEY);
        if (pem.isPresent() && (pem.get().contains("ENCRYPTED PRIVATE KEY") || pem.get().contains("Proc-Type: 4,ENCRYPTED"))) {
            diagnostics.problem(s.at(), "holds an encrypted private key (expected an unencrypted PEM key, e.g. from"
                    + " \"openssl ecparam -genkey -name prime256v1 -noout\")");
            return Optional.empty();
        }
        Optional<String> refusal = pem.flatMap(signingKeyCheck::problemWith);
        refusal.ifPresent(why -> diagnostics.problem(s.at(), why));
        return refusal.isPresent() ? Optional.empty() : pem;
    }

    /** Host names, lower case, in order without repeats. */
    private List<String> hostNames(Setting s) {
        Set<String> hosts = new LinkedHashSet<>();
        for (String item : readers.collections().list(s).orElse(DEFAULT_REDIRECT_DOMAINS)) {
            String host = item.strip().toLowerCase(Locale.ROOT);
            if (DomainName.is(host)) {
                hosts.add(host);
            } else {
                diagnostics.problem(s.at(), quote(item.strip()) + " is not a host name (expected the host alone,"
                        + " without scheme, port or wildcard, e.g. localhost or app.example.com)");
            }
        }
        return List.copyOf(hosts);
    }
}
