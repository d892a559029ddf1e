package dev.portcullis.authn.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CookieSettingsTest {

    @Test
    void defaultsAreThoseOfPomerium() {
        CookieSettings defaults = CookieSettings.defaults();
        assertThat(defaults.name()).isEqualTo("_pomerium");
        assertThat(defaults.domain()).isEmpty();
        assertThat(defaults.secure()).isTrue();
        assertThat(defaults.httpOnly()).isTrue();
        assertThat(defaults.sameSite()).isEqualTo(SameSite.LAX);
        assertThat(defaults.expire()).isEqualTo(Duration.ofHours(14));
        assertThat(defaults.ownCookieNames())
                .containsExactlyInAnyOrder("_pomerium", "_pomerium_authenticate", "_pomerium_csrf");
    }

    @Test
    void sameSiteNoneForcesSecure() {
        CookieSettings none = new CookieSettings("_pomerium", Optional.empty(), false, true,
                SameSite.NONE, Duration.ofHours(1));
        assertThat(none.writesSecure()).isTrue();
        assertThat(none.withName("x").sameSite()).isEqualTo(SameSite.NONE);
    }

    @Test
    void sameSiteIsReadAsTheOptionIsWritten() {
        assertThat(SameSite.parse("lax")).isEqualTo(SameSite.LAX);
        assertThat(SameSite.parse("Strict")).isEqualTo(SameSite.STRICT);
        assertThat(SameSite.parse(" NONE ")).isEqualTo(SameSite.NONE);
        assertThatThrownBy(() -> SameSite.parse("sometimes"))
                .hasMessage("cookie_same_site: sometimes (expected: lax, strict or none)");
    }

    @Test
    void valuesThatCouldInjectAttributesAreRejected() {
        assertThatThrownBy(() -> CookieSettings.defaults().withName("a=b"))
                .hasMessageContaining("cookie_name: a=b");
        assertThatThrownBy(() -> CookieSettings.defaults().withName("a;b")).isInstanceOf(IllegalArgumentException.class);
        for (String domain : new String[] {"example.com; Secure", "exa mple.com", "", "a..b", "ex\u00e4mple.com"}) {
            assertThatThrownBy(() -> new CookieSettings("_pomerium", Optional.of(domain), true, true,
                    SameSite.LAX, Duration.ofHours(1))).as(domain).hasMessageContaining("cookie_domain");
        }
        assertThat(new CookieSettings("_pomerium", Optional.of(".int.nas.example"), true, true,
                SameSite.LAX, Duration.ofHours(1)).domain()).contains(".int.nas.example");
        assertThatThrownBy(() -> new CookieSettings("_pomerium", Optional.empty(), true, true,
                SameSite.LAX, Duration.ofMillis(500))).hasMessageContaining("cookie_expire");
    }
}
