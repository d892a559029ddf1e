package dev.portcullis.proxy.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInFixture;
import dev.portcullis.proxy.testing.TestIdentityProvider;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sign-in, sign-out and identity provider calls as a scrape shows them, through a real OpenID Connect sign-in. */
class SignInMetricsTest {
    private SignInFixture fixture;
    private int metricsPort;
    private SignInClient browser;

    @BeforeEach
    void start() throws Exception {
        metricsPort = TestIdentityProvider.freePort();
        fixture = SignInFixture.start("metrics_address: 127.0.0.1:" + metricsPort);
        browser = new SignInClient(fixture.port);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void oneSignInAndOneSignOutAreCountedOnceWithTheProviderCallsTimed() throws Exception {
        Scrape before = Scrape.of(metricsPort);
        assertThat(before.value("portcullis_sign_ins_total")).isZero();
        assertThat(before.value("portcullis_sign_outs_total")).isZero();

        fixture.idp.nextUser("alice", "alice@example.com", List.of("family"), 3600);
        assertThat(browser.open(fixture.url("app", "/private")).status()).isEqualTo(200);

        Scrape signedIn = Scrape.of(metricsPort);
        assertThat(signedIn.value("portcullis_sign_ins_total")).isEqualTo(1);
        assertThat(signedIn.value("portcullis_identity_provider_requests_seconds_count{operation=\"authorization_url\",result=\"ok\"}"))
                .isEqualTo(1);
        assertThat(signedIn.value("portcullis_identity_provider_requests_seconds_count{operation=\"redeem\",result=\"ok\"}"))
                .isEqualTo(1);
        assertThat(signedIn.seriesStartingWith("portcullis_identity_provider_errors_total{")).isEmpty();
        assertThat(signedIn.value("portcullis_policy_decisions_total{result=\"sign_in\",route=\"" + routeOf(signedIn) + "\"}"))
                .isEqualTo(1);
        assertThat(signedIn.value("portcullis_policy_decisions_total{result=\"allow\",route=\"" + routeOf(signedIn) + "\"}"))
                .isEqualTo(1);
        assertThat(signedIn.text()).as("no user in any label").doesNotContain("alice");

        browser.open(fixture.url("app", "/.pomerium/sign_out"));

        Scrape signedOut = Scrape.of(metricsPort);
        assertThat(signedOut.value("portcullis_sign_ins_total")).isEqualTo(1);
        assertThat(signedOut.value("portcullis_sign_outs_total")).isEqualTo(1);
    }

    @Test
    void aDueSessionIsRenewedAndCountedAsRenewed() throws Exception {
        // Tokens live 10 minutes, so the session is due for renewal after 9 (a minute early).
        fixture.idp.nextUser("alice", "alice@example.com", List.of(), 600);
        assertThat(browser.open(fixture.url("app", "/")).status()).isEqualTo(200);
        fixture.clock.advance(Duration.ofSeconds(530));
        assertThat(browser.get(fixture.url("app", "/")).status()).isEqualTo(200);
        assertThat(Scrape.of(metricsPort).value("portcullis_session_refreshes_total{result=\"renewed\"}"))
                .as("not due yet").isZero();
        fixture.clock.advance(Duration.ofSeconds(20));

        assertThat(browser.get(fixture.url("app", "/")).status()).isEqualTo(200);

        Scrape scrape = Scrape.of(metricsPort);
        assertThat(scrape.value("portcullis_session_refreshes_total{result=\"renewed\"}")).isEqualTo(1);
        assertThat(scrape.value("portcullis_identity_provider_requests_seconds_count{operation=\"refresh\",result=\"ok\"}"))
                .isEqualTo(1);
    }

    /** The derived name of the {@code app.test} route, read from the scrape rather than guessed. */
    private static String routeOf(Scrape scrape) {
        String series = scrape.seriesStartingWith("pomerium_http_server_requests_total{host=\"app.test\"").iterator().next();
        int start = series.indexOf("route=\"") + 7;
        return series.substring(start, series.indexOf('"', start));
    }
}
