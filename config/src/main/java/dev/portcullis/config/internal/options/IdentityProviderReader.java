package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.Options.IdentityProviderOptions;
import dev.portcullis.config.internal.source.NearestKey;
import dev.portcullis.config.internal.value.AlternativeKeys;
import dev.portcullis.config.internal.value.ConfigPath;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.UnreadableFile;
import dev.portcullis.config.internal.value.UrlText;
import dev.portcullis.config.internal.value.ValueReaders;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code idp_*} options and {@code builtin_users_file}. With {@code idp_provider} set, the
 * client id, a client secret and {@code authenticate_service_url} are required, and
 * {@code idp_provider_url} too for the providers that have no fixed issuer; each missing one is a
 * problem that says what it should look like. With {@code idp_provider: builtin} there is no OAuth
 * client: {@code authenticate_service_url} and an existing {@code builtin_users_file} are required,
 * and OAuth client options are ignored with a warning.
 */
final class IdentityProviderReader {

    private static final List<String> SUPPORTED =
            List.of(IdentityProviderOptions.BUILTIN, "oidc", "google", "azure", "github", "gitlab", "okta", "auth0",
                    "cognito", "onelogin", "ping");
    /** What the built-in provider does not use: it is no OAuth client of anyone. */
    private static final List<String> OAUTH_CLIENT_KEYS = List.of("idp_provider_url", "idp_client_id",
            "idp_client_secret", "idp_client_secret_file", "idp_scopes", "idp_request_params");
    /** The providers without a fixed issuer, each with what its issuer URL looks like. */
    private static final Map<String, String> ISSUER_EXAMPLES = Map.of(
            "oidc", "https://issuer.example.com (the URL below which /.well-known/openid-configuration is served)",
            "okta", "https://<your-org>.okta.com/oauth2/default",
            "auth0", "https://<tenant>.auth0.com/",
            "cognito", "https://cognito-idp.<region>.amazonaws.com/<user-pool-id>",
            "ping", "https://auth.pingone.com/<environment-id>/as");
    /** Authorization request parameters Portcullis sets itself on every sign-in. */
    private static final Set<String> OWN_PARAMETERS = Set.of("response_type", "client_id", "redirect_uri", "scope",
            "state", "nonce", "code_challenge", "code_challenge_method");
    /** RFC 6749 §3.3 scope-token: printable ASCII except space, {@code "} and {@code \}. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]+");
    private static final String DISCOVERY = "/.well-known/openid-configuration";

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    IdentityProviderReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    IdentityProviderOptions read(SettingMap top) {
        Optional<String> provider = top.get("idp_provider").flatMap(this::provider);
        if (provider.filter(IdentityProviderOptions.BUILTIN::equals).isPresent()) {
            return builtin(top);
        }
        top.get("builtin_users_file").ifPresent(s -> diagnostics.warning(s.at() + ": is used only with idp_provider"
                + " builtin; it has no effect"));
        Optional<URI> issuer = top.get("idp_provider_url").flatMap(this::issuer);
        Optional<String> clientId = top.get("idp_client_id").flatMap(s -> nonBlank(s, readers.scalars().text(s)));
        Optional<String> clientSecret = clientSecret(top);
        List<String> scopes = top.get("idp_scopes").map(this::scopes).orElse(List.of());
        Map<String, String> requestParams = top.get("idp_request_params").map(this::requestParams).orElse(Map.of());
        provider.ifPresent(p -> requireWhatSignInNeeds(p, top));
        provider.filter("azure"::equals).filter(p -> !top.has("idp_provider_url"))
                .ifPresent(p -> warnAboutMicrosoftsCommonEndpoint());
        return new IdentityProviderOptions(provider, issuer, clientId, clientSecret, scopes, requestParams,
                Optional.empty());
    }

    /** {@code idp_provider: builtin}: users from a file, signing in on the authenticate host's own page. */
    private IdentityProviderOptions builtin(SettingMap top) {
        for (String key : OAUTH_CLIENT_KEYS) {
            top.get(key).ifPresent(s -> diagnostics.warning(s.at() + ": is not used with idp_provider builtin (the"
                    + " built-in provider is no OAuth client); it is ignored"));
        }
        String required = "is required with idp_provider builtin:";
        if (!top.has("authenticate_service_url")) {
            diagnostics.problem(ConfigPath.of("authenticate_service_url"), required + " the public URL of the"
                    + " sign-in host, where the sign-in page is served, e.g. https://authenticate.example.com"
                    + " (set it as AUTHENTICATE_SERVICE_URL)");
        }
        Optional<Path> usersFile = top.get("builtin_users_file").flatMap(this::usersFile);
        if (!top.has("builtin_users_file")) {
            diagnostics.problem(ConfigPath.of("builtin_users_file"), required + " the YAML file of the users who may"
                    + " sign in, made with \"portcullis users add EMAIL --users-file FILE\" (set it as"
                    + " BUILTIN_USERS_FILE)");
        }
        return new IdentityProviderOptions(Optional.of(IdentityProviderOptions.BUILTIN), Optional.empty(),
                Optional.empty(), Optional.empty(), List.of(), Map.of(), usersFile);
    }

    /** An existing, readable file; its content is read (and watched) by the proxy. */
    private Optional<Path> usersFile(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (text.get().isEmpty()) {
            diagnostics.problem(s.at(), "is empty (expected the path of the users file)");
            return Optional.empty();
        }
        Path path;
        try {
            path = Path.of(text.get());
        } catch (InvalidPathException e) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not a file path: " + e.getReason());
            return Optional.empty();
        }
        if (Files.isDirectory(path)) {
            diagnostics.problem(s.at(), quote(text.get()) + " is a directory, expected a file");
        } else if (!Files.exists(path)) {
            diagnostics.problem(s.at(), quote(text.get()) + ": no such file (make it with \"portcullis users add EMAIL"
                    + " --users-file " + text.get() + "\")");
        } else if (!Files.isReadable(path)) {
            diagnostics.problem(s.at(), quote(text.get()) + " " + UnreadableFile.cannotBeRead(text.get()));
        } else {
            return Optional.of(path.toAbsolutePath().normalize());
        }
        return Optional.empty();
    }

    private Optional<String> provider(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(t -> t.strip().toLowerCase(Locale.ROOT));
        if (text.isEmpty() || SUPPORTED.contains(text.get())) {
            return text;
        }
        if (text.get().equals("apple")) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not supported yet (Sign in with Apple needs a client"
                    + " secret signed as a JWT and a form_post callback, which Portcullis does not do yet);"
                    + " choose another provider");
        } else {
            diagnostics.problem(s.at(), quote(text.get()) + " is not a provider (" + NearestKey.to(text.get(), SUPPORTED)
                    .map(p -> "did you mean " + p + "?")
                    .orElse("expected one of " + String.join(", ", SUPPORTED)
                            + "; oidc works with any OpenID Connect provider") + ")");
        }
        return Optional.empty();
    }

    /** An issuer (OpenID Connect Discovery 1.0 §2): http(s), no query or fragment, not the discovery document. */
    private Optional<URI> issuer(Setting s) {
        Optional<URI> url = readers.scalars().httpUrl(s);
        if (url.isEmpty()) {
            return url;
        }
        String text = url.get().toString();
        UrlText parts = UrlText.parse(text).orElseThrow();
        if (parts.path().endsWith(DISCOVERY)) {
            diagnostics.problem(s.at(), quote(text) + " is the discovery document; give the issuer instead (expected "
                    + text.substring(0, text.lastIndexOf(DISCOVERY)) + ")");
            return Optional.empty();
        }
        if (parts.query().isPresent() || parts.fragment().isPresent()) {
            diagnostics.problem(s.at(), quote(text) + " has a query or fragment, which an issuer URL never has"
                    + " (expected e.g. https://issuer.example.com)");
            return Optional.empty();
        }
        return url;
    }

    /** {@code idp_client_secret}, or the content of {@code idp_client_secret_file} (Docker secrets). */
    private Optional<String> clientSecret(SettingMap top) {
        Optional<Setting> setting = new AlternativeKeys(diagnostics).choose(top, "idp_client_secret", "idp_client_secret_file");
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        Setting s = setting.get();
        if (s.at().path().equals("idp_client_secret")) {
            return nonBlank(s, readers.scalars().text(s));
        }
        Optional<String> content = readers.materials().fileText(s).map(String::strip);
        if (content.isPresent() && content.get().isEmpty()) {
            diagnostics.problem(s.at(), quote(String.valueOf(s.value()).strip()) + " is empty (expected a file holding"
                    + " the OAuth client secret)");
            return Optional.empty();
        }
        return content;
    }

    private Optional<String> nonBlank(Setting s, Optional<String> text) {
        Optional<String> stripped = text.map(String::strip);
        if (stripped.isPresent() && stripped.get().isEmpty()) {
            diagnostics.problem(s.at(), "is empty");
            return Optional.empty();
        }
        return stripped;
    }

    /** Scopes in order without repeats; a comma or whitespace separates them. */
    private List<String> scopes(Setting s) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String item : readers.collections().list(s).orElse(List.of())) {
            for (String scope : item.strip().split("\\s+")) {
                if (scope.isEmpty()) {
                    continue;
                }
                if (SCOPE.matcher(scope).matches()) {
                    scopes.add(scope);
                } else {
                    diagnostics.problem(s.at(), quote(scope) + " is not an OAuth scope (RFC 6749 §3.3: printable ASCII"
                            + " except space, \" and \\; expected e.g. openid,email,profile)");
                }
            }
        }
        return List.copyOf(scopes);
    }

    private Map<String, String> requestParams(Setting s) {
        Map<String, String> params = new LinkedHashMap<>();
        readers.collections().stringMap(s).orElse(Map.of()).forEach((name, value) -> {
            ConfigPath at = s.at().key(name);
            if (name.isBlank()) {
                diagnostics.problem(s.at(), "a parameter has no name (expected e.g. {prompt: select_account})");
            } else if (name.equals("scope")) {
                diagnostics.problem(at, "is set by Portcullis on every sign-in request (list scopes in idp_scopes)");
            } else if (OWN_PARAMETERS.contains(name)) {
                diagnostics.problem(at, "is set by Portcullis on every sign-in request and cannot be overridden");
            } else {
                params.put(name, value);
            }
        });
        return params;
    }

    /**
     * As Pomerium: {@code idp_provider: azure} alone signs in at Microsoft's common endpoint, where an account
     * of any tenant (and any personal account) can sign in; only the route policies keep strangers out.
     */
    private void warnAboutMicrosoftsCommonEndpoint() {
        diagnostics.warning("idp_provider_url: not set, so idp_provider azure signs in at Microsoft's common endpoint"
                + " (https://login.microsoftonline.com/common/v2.0), as Pomerium does: an account of any Microsoft"
                + " tenant, and any personal account, can sign in, and only the routes' policies keep others out; to"
                + " admit only your organisation, set IDP_PROVIDER_URL to"
                + " https://login.microsoftonline.com/<tenant-id>/v2.0");
    }

    private void requireWhatSignInNeeds(String provider, SettingMap top) {
        String required = "is required with idp_provider " + provider + ":";
        if (!top.has("idp_client_id")) {
            diagnostics.problem(ConfigPath.of("idp_client_id"), required + " the OAuth client id the provider issued"
                    + " for Portcullis (set it as IDP_CLIENT_ID)");
        }
        if (!top.has("idp_client_secret") && !top.has("idp_client_secret_file")) {
            diagnostics.problem(ConfigPath.of("idp_client_secret"), required + " the OAuth client secret of that"
                    + " client (set it as IDP_CLIENT_SECRET, or IDP_CLIENT_SECRET_FILE naming a file that holds it)");
        }
        if (!top.has("authenticate_service_url")) {
            diagnostics.problem(ConfigPath.of("authenticate_service_url"), required + " the public URL of the"
                    + " sign-in host, where the provider sends users back, e.g. https://authenticate.example.com"
                    + " (set it as AUTHENTICATE_SERVICE_URL)");
        }
        String example = ISSUER_EXAMPLES.get(provider);
        if (example != null && !top.has("idp_provider_url")) {
            diagnostics.problem(ConfigPath.of("idp_provider_url"), required + " the issuer URL, e.g. " + example
                    + " (set it as IDP_PROVIDER_URL)");
        }
    }
}
