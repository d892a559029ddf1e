package dev.portcullis.config.internal.options;

import static dev.portcullis.config.internal.value.ValueText.describe;
import static dev.portcullis.config.internal.value.ValueText.quote;

import dev.portcullis.config.Options.CookieOptions;
import dev.portcullis.config.catalogue.OptionCatalogue;
import dev.portcullis.config.catalogue.OptionScope;
import dev.portcullis.config.internal.value.Diagnostics;
import dev.portcullis.config.internal.value.DomainName;
import dev.portcullis.config.internal.value.HttpToken;
import dev.portcullis.config.internal.value.ScalarReader;
import dev.portcullis.config.internal.value.Setting;
import dev.portcullis.config.internal.value.SettingMap;
import dev.portcullis.config.internal.value.ValueReaders;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the {@code cookie_*} options: the session cookie's name and attributes, with the rules browsers
 * apply (RFC 6265 and its successor draft): {@code SameSite=None} and the {@code __Secure-} and
 * {@code __Host-} name prefixes need {@code Secure}; {@code __Host-} forbids a Domain.
 */
final class CookieOptionsReader {

    private static final String DEFAULT_NAME = "_pomerium";
    /** Suffixes of the proxy's own cookies: the sign-in host's {@code <name>_authenticate}, the CSRF {@code <name>_csrf}. */
    private static final List<String> OWN_SUFFIXES = List.of("_authenticate", "_csrf");
    private static final Duration SHORTEST = Duration.ofSeconds(1);

    private final ValueReaders readers;
    private final Diagnostics diagnostics;

    CookieOptionsReader(ValueReaders readers) {
        this.readers = readers;
        this.diagnostics = readers.diagnostics();
    }

    CookieOptions read(SettingMap top) {
        ScalarReader scalars = readers.scalars();
        Optional<String> name = top.get("cookie_name").flatMap(this::name);
        Optional<String> domain = top.get("cookie_domain").flatMap(this::domain);
        Duration expire = top.get("cookie_expire").flatMap(this::expire).orElse(Duration.ofHours(14));
        boolean secure = top.get("cookie_secure").flatMap(scalars::bool).orElse(true);
        boolean httpOnly = top.get("cookie_http_only").flatMap(scalars::bool).orElse(true);
        List<String> sameSites = OptionCatalogue.find(OptionScope.TOP_LEVEL, "cookie_same_site").orElseThrow().choices();
        String sameSite = top.get("cookie_same_site").flatMap(s -> scalars.choice(s, sameSites)).orElse("lax");
        if (sameSite.equals("none") && !secure) {
            Setting s = top.get("cookie_same_site").orElseThrow();
            diagnostics.problem(s.at(), describe(s.value()) + " needs cookie_secure: true"
                    + " (browsers drop SameSite=None cookies that are not Secure)");
        }
        name.ifPresent(n -> checkPrefix(top, n, domain, secure));
        return new CookieOptions(name.orElse(DEFAULT_NAME), domain, expire, secure, httpOnly, sameSite);
    }

    private Optional<String> name(Setting s) {
        Optional<String> name = readers.scalars().text(s).map(String::strip);
        if (name.isEmpty()) {
            return name;
        }
        if (!HttpToken.is(name.get())) {
            diagnostics.problem(s.at(), quote(name.get()) + " is not a cookie name (RFC 6265: " + HttpToken.EXPECTED
                    + "; expected e.g. " + DEFAULT_NAME + ")");
            return Optional.empty();
        }
        Optional<String> suffix = OWN_SUFFIXES.stream().filter(name.get()::endsWith).findFirst();
        if (suffix.isPresent()) {
            diagnostics.problem(s.at(), quote(name.get()) + " ends in " + suffix.get() + ", which marks the proxy's own"
                    + " cookies (the sign-in host's cookie is <cookie_name>_authenticate and the CSRF cookie"
                    + " <cookie_name>_csrf); expected a name without it, e.g. " + DEFAULT_NAME);
            return Optional.empty();
        }
        return name;
    }

    /** RFC 6265bis §4.1.3: {@code __Secure-} needs Secure; {@code __Host-} needs Secure and no Domain. */
    private void checkPrefix(SettingMap top, String name, Optional<String> domain, boolean secure) {
        String lower = name.toLowerCase(Locale.ROOT);
        boolean host = lower.startsWith("__host-");
        if ((host || lower.startsWith("__secure-")) && !secure) {
            diagnostics.problem(top.get("cookie_name").orElseThrow().at(), quote(name) + " needs cookie_secure: true"
                    + " (browsers drop " + name.substring(0, name.indexOf('-') + 1) + " cookies that are not Secure)");
        }
        if (host && domain.isPresent()) {
            diagnostics.problem(top.get("cookie_name").orElseThrow().at(), quote(name) + " cannot be used with"
                    + " cookie_domain (browsers drop __Host- cookies that have a Domain attribute)");
        }
    }

    /** A domain name; a leading dot (the older way of writing it) is dropped, as browsers drop it. */
    private Optional<String> domain(Setting s) {
        Optional<String> text = readers.scalars().text(s).map(String::strip);
        if (text.isEmpty()) {
            return text;
        }
        String domain = (text.get().startsWith(".") ? text.get().substring(1) : text.get()).toLowerCase(Locale.ROOT);
        if (!DomainName.is(domain)) {
            diagnostics.problem(s.at(), quote(text.get()) + " is not a domain name (expected e.g. example.com or"
                    + " .example.com, without scheme or port)");
            return Optional.empty();
        }
        return Optional.of(domain);
    }

    private Optional<Duration> expire(Setting s) {
        Optional<Duration> expire = readers.scalars().duration(s);
        if (expire.isPresent() && expire.get().compareTo(SHORTEST) < 0) {
            diagnostics.problem(s.at(), quote(String.valueOf(s.value()).strip()) + " is shorter than 1s (expected"
                    + " the session lifetime, e.g. 14h)");
            return Optional.empty();
        }
        return expire;
    }
}
