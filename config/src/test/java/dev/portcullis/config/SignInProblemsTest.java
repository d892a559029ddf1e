package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.base64;
import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.problems;
import static dev.portcullis.config.TestConfig.read;
import static dev.portcullis.config.TestConfig.resource;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** What a person reads when a sign-in option is wrong: each problem alone, with its YAML path. */
class SignInProblemsTest {

    static final Path CRT = resource("tls/a.crt");
    static final String SIGN_IN = "authenticate_service_url: https://authenticate.example.com\n"
            + "idp_client_id: id\nidp_client_secret: secret\n";

    @TempDir
    Path dir;

    static Stream<Arguments> problemsInTheFile() {
        return Stream.of(
                row("misspelt provider", SIGN_IN + "idp_provider: gogle\n",
                        "idp_provider: \"gogle\" is not a provider (did you mean google?)"),
                row("unknown provider", SIGN_IN + "idp_provider: keycloak\n",
                        "idp_provider: \"keycloak\" is not a provider (expected one of builtin, oidc, google, azure, github, gitlab,"
                                + " okta, auth0, cognito, onelogin, ping; oidc works with any OpenID Connect provider)"),
                row("apple", SIGN_IN + "idp_provider: apple\n",
                        "idp_provider: \"apple\" is not supported yet (Sign in with Apple needs a client secret signed as a"
                                + " JWT and a form_post callback, which Portcullis does not do yet); choose another provider"),
                row("discovery document as issuer", "idp_provider_url: https://id.example/realms/a/.well-known/openid-configuration\n",
                        "idp_provider_url: \"https://id.example/realms/a/.well-known/openid-configuration\" is the discovery"
                                + " document; give the issuer instead (expected https://id.example/realms/a)"),
                row("issuer with a query", "idp_provider_url: https://id.example/?tenant=a\n",
                        "idp_provider_url: \"https://id.example/?tenant=a\" has a query or fragment, which an issuer URL"
                                + " never has (expected e.g. https://issuer.example.com)"),
                row("issuer not a URL", "idp_provider_url: id.example\n",
                        "idp_provider_url: \"id.example\" is not an http(s) URL (expected e.g. https://host.example)"),
                row("empty client id", "idp_client_id: \"  \"\n", "idp_client_id is empty"),
                row("empty client secret", "idp_client_secret: \"\"\n", "idp_client_secret is empty"),
                row("client secret twice", "idp_client_secret: a\nidp_client_secret_file: " + CRT + "\n",
                        "idp_client_secret_file: conflicts with idp_client_secret (set only one of idp_client_secret,"
                                + " idp_client_secret_file)"),
                row("bad scope", "idp_scopes: [openid, émail]\n",
                        "idp_scopes: \"émail\" is not an OAuth scope (RFC 6749 §3.3: printable ASCII except space, \" and \\;"
                                + " expected e.g. openid,email,profile)"),
                row("scopes as a map", "idp_scopes: {openid: true}\n", "idp_scopes: expected a list, found a map"),
                row("request params set state", "idp_request_params: {prompt: login, state: x}\n",
                        "idp_request_params.state is set by Portcullis on every sign-in request and cannot be overridden"),
                row("request params set scope", "idp_request_params: {scope: openid}\n",
                        "idp_request_params.scope is set by Portcullis on every sign-in request (list scopes in idp_scopes)"),
                row("request params as a list", "idp_request_params: [prompt]\n",
                        "idp_request_params: expected a map, found a list"),
                row("cookie name not a token", "cookie_name: my cookie\n",
                        "cookie_name: \"my cookie\" is not a cookie name (RFC 6265: letters, digits and !#$%&'*+-.^_`|~;"
                                + " expected e.g. _pomerium)"),
                row("cookie name of the CSRF cookie", "cookie_name: _pomerium_csrf\n",
                        "cookie_name: \"_pomerium_csrf\" ends in _csrf, which marks the proxy's own cookies (the sign-in"
                                + " host's cookie is <cookie_name>_authenticate and the CSRF cookie <cookie_name>_csrf);"
                                + " expected a name without it, e.g. _pomerium"),
                row("cookie name of the sign-in cookie", "cookie_name: _pomerium_authenticate\n",
                        "cookie_name: \"_pomerium_authenticate\" ends in _authenticate, which marks the proxy's own cookies"
                                + " (the sign-in host's cookie is <cookie_name>_authenticate and the CSRF cookie"
                                + " <cookie_name>_csrf); expected a name without it, e.g. _pomerium"),
                row("__Secure- without Secure", "cookie_name: __Secure-session\ncookie_secure: false\n",
                        "cookie_name: \"__Secure-session\" needs cookie_secure: true (browsers drop __Secure- cookies"
                                + " that are not Secure)"),
                row("__Host- with a domain", "cookie_name: __Host-session\ncookie_domain: example.com\n",
                        "cookie_name: \"__Host-session\" cannot be used with cookie_domain (browsers drop __Host- cookies"
                                + " that have a Domain attribute)"),
                row("cookie domain with a port", "cookie_domain: example.com:443\n",
                        "cookie_domain: \"example.com:443\" is not a domain name (expected e.g. example.com or .example.com,"
                                + " without scheme or port)"),
                row("cookie domain with a scheme", "cookie_domain: https://example.com\n",
                        "cookie_domain: \"https://example.com\" is not a domain name (expected e.g. example.com or"
                                + " .example.com, without scheme or port)"),
                row("cookie expire too short", "cookie_expire: 500ms\n",
                        "cookie_expire: \"500ms\" is shorter than 1s (expected the session lifetime, e.g. 14h)"),
                row("cookie expire zero", "cookie_expire: 0s\n",
                        "cookie_expire: \"0s\" is shorter than 1s (expected the session lifetime, e.g. 14h)"),
                row("cookie expire not a duration", "cookie_expire: 14\n",
                        "cookie_expire: \"14\" is not a duration (expected e.g. 30s, 1m30s, 14h)"),
                row("unknown same site", "cookie_same_site: relaxed\n",
                        "cookie_same_site: \"relaxed\" is not one of strict, lax, none"),
                row("same site none without secure", "cookie_same_site: None\ncookie_secure: false\n",
                        "cookie_same_site: \"None\" needs cookie_secure: true (browsers drop SameSite=None cookies that"
                                + " are not Secure)"),
                row("cookie secure not a boolean", "cookie_secure: sometimes\n",
                        "cookie_secure: \"sometimes\" is not a boolean (expected true or false)"),
                row("claim that makes no header name", "jwt_claims_headers: [email, \"https://example.com/roles\"]\n",
                        "jwt_claims_headers: claim \"https://example.com/roles\" would be sent as"
                                + " \"X-Pomerium-Claim-https://example.com/roles\", which is not a header name (letters,"
                                + " digits and !#$%&'*+-.^_`|~); map it to one instead, e.g. {X-Claim: https://example.com/roles}"),
                row("claim listed twice", "jwt_claims_headers: [email, groups, email]\n",
                        "jwt_claims_headers: header \"X-Pomerium-Claim-email\" is listed twice (header names ignore case)"),
                row("empty claim in a list", "jwt_claims_headers: [email, \"\"]\n",
                        "jwt_claims_headers: an entry names no claim (expected e.g. [email, groups])"),
                row("mapped header not a token", "jwt_claims_headers: {X Email: email}\n",
                        "jwt_claims_headers.X Email: \"X Email\" is not a header name (expected letters, digits and"
                                + " !#$%&'*+-.^_`|~, e.g. X-Email)"),
                row("mapped header twice", "jwt_claims_headers: {X-Email: email, x-email: mail}\n",
                        "jwt_claims_headers.x-email: header \"x-email\" is listed twice (header names ignore case)"),
                row("mapped header without a claim", "jwt_claims_headers: {X-Email: \"\"}\n",
                        "jwt_claims_headers.X-Email: names no claim (expected e.g. {X-Email: email})"),
                row("assertion header", "jwt_claims_headers: {X-Pomerium-Jwt-Assertion: email}\n",
                        "jwt_claims_headers.X-Pomerium-Jwt-Assertion: \"X-Pomerium-Jwt-Assertion\" cannot carry a claim:"
                                + " it carries the signed identity assertion"),
                row("cookie header", "jwt_claims_headers: {cookie: email}\n",
                        "jwt_claims_headers.cookie: \"cookie\" cannot carry a claim: the proxy sets it itself"),
                row("host header", "jwt_claims_headers: {Host: email}\n",
                        "jwt_claims_headers.Host: \"Host\" cannot carry a claim: the proxy sets it itself"),
                row("authorization header", "jwt_claims_headers: {Authorization: email}\n",
                        "jwt_claims_headers.Authorization: \"Authorization\" cannot carry a claim: it carries credentials"),
                row("framing header", "jwt_claims_headers: {Transfer-Encoding: email}\n",
                        "jwt_claims_headers.Transfer-Encoding: \"Transfer-Encoding\" cannot carry a claim: it is a hop-by-hop"
                                + " or framing header (RFC 9110 §7.6.1, RFC 9112 §6)"),
                row("whitelist entry with a scheme", "programmatic_redirect_domain_whitelist: [localhost, \"https://app.example\"]\n",
                        "programmatic_redirect_domain_whitelist: \"https://app.example\" is not a host name (expected the host"
                                + " alone, without scheme, port or wildcard, e.g. localhost or app.example.com)"),
                row("whitelist entry with a wildcard", "programmatic_redirect_domain_whitelist: \"*.example.com\"\n",
                        "programmatic_redirect_domain_whitelist: \"*.example.com\" is not a host name (expected the host"
                                + " alone, without scheme, port or wildcard, e.g. localhost or app.example.com)"),
                row("sign-out URL without scheme", "signout_redirect_url: /signed-out\n",
                        "signout_redirect_url: \"/signed-out\" is not an http(s) URL (expected e.g. https://host.example)"),
                row("signing key not PEM", "signing_key: bm90IGEga2V5\n",
                        "signing_key is neither PEM text, base64-encoded PEM, nor the path of an existing file"),
                row("signing key is a certificate", "signing_key: " + base64(read(CRT)) + "\n",
                        "signing_key: holds no PEM private key (expected a -----BEGIN …----- block)"),
                row("signing key encrypted", "signing_key: " + base64("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n"
                                + "-----END ENCRYPTED PRIVATE KEY-----\n") + "\n",
                        "signing_key: holds an encrypted private key (expected an unencrypted PEM key, e.g. from"
                                + " \"openssl ecparam -genkey -name prime256v1 -noout\")"),
                row("signing key file not a key", "signing_key_file: " + CRT + "\n",
                        "signing_key_file: \"" + CRT + "\" holds no PEM private key (expected a -----BEGIN …----- block)"),
                row("signing key file missing", "signing_key_file: /nonexistent/signing.pem\n",
                        "signing_key_file: \"/nonexistent/signing.pem\": no such file"),
                row("pass identity headers not a boolean", "pass_identity_headers: maybe\n",
                        "pass_identity_headers: \"maybe\" is not a boolean (expected true or false)"),
                row("route pass identity headers not a boolean",
                        "routes: [{from: https://a.example, to: http://a, pass_identity_headers: sometimes}]\n",
                        "routes[0].pass_identity_headers: \"sometimes\" is not a boolean (expected true or false)"),
                row("jwt endpoint flag not a boolean", "runtime_flags: {pomerium_jwt_endpoint: maybe}\n",
                        "runtime_flags.pomerium_jwt_endpoint: \"maybe\" is not a boolean (expected true or false)"),
                row("sign-out flag not a boolean", "runtime_flags: {allow_any_sign_out_redirect_uri: anywhere}\n",
                        "runtime_flags.allow_any_sign_out_redirect_uri: \"anywhere\" is not a boolean (expected true or false)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problemsInTheFile")
    void eachProblemIsReportedAloneWithItsPath(String name, String yaml, String expected) {
        assertThat(problems(dir, yaml, env())).containsExactly(expected);
    }

    static Stream<Arguments> problemsInTheEnvironment() {
        return Stream.of(
                row("misspelt provider", env("IDP_PROVIDER", "Gooogle", "IDP_CLIENT_ID", "id", "IDP_CLIENT_SECRET", "s",
                                "AUTHENTICATE_SERVICE_URL", "https://auth.example"),
                        "IDP_PROVIDER (idp_provider): \"gooogle\" is not a provider (did you mean google?)"),
                row("request param of Portcullis", env("IDP_REQUEST_PARAMS", "prompt=login,nonce=1"),
                        "IDP_REQUEST_PARAMS (idp_request_params.nonce) is set by Portcullis on every sign-in request and"
                                + " cannot be overridden"),
                row("request params not pairs", env("IDP_REQUEST_PARAMS", "prompt"),
                        "IDP_REQUEST_PARAMS (idp_request_params): \"prompt\" is not a NAME:VALUE pair (expected e.g."
                                + " X-Frame-Options:DENY,X-Other:value or {X-Frame-Options: DENY})"),
                row("same site none without secure", env("COOKIE_SAME_SITE", "none", "COOKIE_SECURE", "false"),
                        "COOKIE_SAME_SITE (cookie_same_site): \"none\" needs cookie_secure: true (browsers drop"
                                + " SameSite=None cookies that are not Secure)"),
                row("cookie expire too short", env("COOKIE_EXPIRE", "0"),
                        "COOKIE_EXPIRE (cookie_expire): \"0\" is shorter than 1s (expected the session lifetime, e.g. 14h)"),
                row("reserved claim header", env("JWT_CLAIMS_HEADERS", "X-Email:email,Host:email"),
                        "JWT_CLAIMS_HEADERS (jwt_claims_headers.Host): \"Host\" cannot carry a claim: the proxy sets it itself"),
                row("bad scope", env("IDP_SCOPES", "openid,\"email\""),
                        "IDP_SCOPES (idp_scopes): \"\\\"email\\\"\" is not an OAuth scope (RFC 6749 §3.3: printable ASCII"
                                + " except space, \" and \\; expected e.g. openid,email,profile)"),
                row("whitelist entry with a port", env("PROGRAMMATIC_REDIRECT_DOMAIN_WHITELIST", "localhost:8080"),
                        "PROGRAMMATIC_REDIRECT_DOMAIN_WHITELIST (programmatic_redirect_domain_whitelist): \"localhost:8080\""
                                + " is not a host name (expected the host alone, without scheme, port or wildcard, e.g."
                                + " localhost or app.example.com)"),
                row("signing key not PEM", env("SIGNING_KEY", "c2VjcmV0"),
                        "SIGNING_KEY (signing_key) is neither PEM text, base64-encoded PEM, nor the path of an existing file"),
                row("jwt endpoint flag", env("RUNTIME_FLAGS_POMERIUM_JWT_ENDPOINT", "enabled"),
                        "RUNTIME_FLAGS_POMERIUM_JWT_ENDPOINT (runtime_flags.pomerium_jwt_endpoint): \"enabled\" is not a"
                                + " boolean (expected true or false)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("problemsInTheEnvironment")
    void problemsFromTheEnvironmentNameTheVariable(String name, Map<String, String> environment, String expected) {
        assertThat(problems(dir, "", environment)).containsExactly(expected);
    }

    @Test
    void anEmptyClientSecretFileIsAProblemNamingTheFile() {
        Path empty = TestConfig.write(dir.resolve("idp_client_secret"), " \n");
        assertThat(problems(dir, "", env("IDP_CLIENT_SECRET_FILE", empty.toString()))).containsExactly(
                "IDP_CLIENT_SECRET_FILE (idp_client_secret_file): \"" + empty + "\" is empty (expected a file holding the"
                        + " OAuth client secret)");
    }

    @Test
    void aProviderWithoutWhatSignInNeedsSaysWhatIsMissing() {
        assertThat(problems(dir, "idp_provider: azure\n", env())).containsExactly(
                "idp_client_id is required with idp_provider azure: the OAuth client id the provider issued for Portcullis"
                        + " (set it as IDP_CLIENT_ID)",
                "idp_client_secret is required with idp_provider azure: the OAuth client secret of that client (set it as"
                        + " IDP_CLIENT_SECRET, or IDP_CLIENT_SECRET_FILE naming a file that holds it)",
                "authenticate_service_url is required with idp_provider azure: the public URL of the sign-in host, where the"
                        + " provider sends users back, e.g. https://authenticate.example.com (set it as AUTHENTICATE_SERVICE_URL)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "oidc     | https://issuer.example.com (the URL below which /.well-known/openid-configuration is served)",
        "okta     | https://<your-org>.okta.com/oauth2/default",
        "auth0    | https://<tenant>.auth0.com/",
        "cognito  | https://cognito-idp.<region>.amazonaws.com/<user-pool-id>",
        "ping     | https://auth.pingone.com/<environment-id>/as"})
    void providersWithoutAFixedIssuerNeedTheirProviderUrl(String provider, String example) {
        assertThat(problems(dir, SIGN_IN, env("IDP_PROVIDER", provider))).containsExactly(
                "idp_provider_url is required with idp_provider " + provider + ": the issuer URL, e.g. " + example
                        + " (set it as IDP_PROVIDER_URL)");
    }

    @Test
    void azureWithoutAUrlLoadsAsPomeriumDoesWarningThatAnyTenantCanSignIn() throws ConfigException {
        LoadedConfig loaded = TestConfig.load(dir, SIGN_IN + "idp_provider: azure\n", env());

        assertThat(loaded.options().identityProvider().providerUrl()).isEmpty();
        assertThat(loaded.warnings()).contains("idp_provider_url: not set, so idp_provider azure signs in at"
                + " Microsoft's common endpoint (https://login.microsoftonline.com/common/v2.0), as Pomerium does: an"
                + " account of any Microsoft tenant, and any personal account, can sign in, and only the routes'"
                + " policies keep others out; to admit only your organisation, set IDP_PROVIDER_URL to"
                + " https://login.microsoftonline.com/<tenant-id>/v2.0");
        assertThat(TestConfig.load(dir, SIGN_IN + "idp_provider: azure\nidp_provider_url:"
                + " https://login.microsoftonline.com/0b7e2d44-1e4c-4c3b-9f33-6e7fbd1c9a31/v2.0\n", env()).warnings())
                .noneMatch(w -> w.contains("common endpoint"));
    }

    @Test
    void problemsNeverRepeatTheClientSecret() {
        String secret = "GOCSPX-do-not-print-me";
        assertThat(String.join("\n", problems(dir, "idp_provider: gogle\nidp_client_secret: " + secret + "\n", env())))
                .doesNotContain(secret);
    }

    private static Arguments row(String name, Object input, String expected) {
        return Arguments.of(name, input, expected);
    }
}
