package dev.portcullis.proxy.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ProxyFailureTest {

    @Test
    void signInFailuresHaveTheirStatusAndTag() {
        assertThat(ProxyFailure.UNAUTHENTICATED.status()).isEqualTo(401);
        assertThat(ProxyFailure.UNAUTHENTICATED.tag()).isEqualTo("unauthenticated");
        assertThat(ProxyFailure.UNAUTHENTICATED.title()).isEqualTo("Sign-in required");
        assertThat(ProxyFailure.SIGN_IN_PROVIDER_UNAVAILABLE.status()).isEqualTo(502);
        assertThat(ProxyFailure.SIGN_IN_PROVIDER_UNAVAILABLE.tag()).isEqualTo("idp_unavailable");
        assertThat(ProxyFailure.SIGN_IN_REFUSED.status()).isEqualTo(403);
        assertThat(ProxyFailure.SIGN_IN_REFUSED.tag()).isEqualTo("idp_refused");
        assertThat(ProxyFailure.SIGN_IN_EXPIRED.status()).isEqualTo(400);
        assertThat(ProxyFailure.SIGN_IN_EXPIRED.tag()).isEqualTo("sign_in_expired");
        assertThat(ProxyFailure.HANDOFF_REFUSED.status()).isEqualTo(400);
        assertThat(ProxyFailure.HANDOFF_REFUSED.tag()).isEqualTo("handoff_refused");
    }

    @Test
    void explanationsSayWhatHappenedAndWhatToDo() {
        assertThat(ProxyFailure.SIGN_IN_PROVIDER_UNAVAILABLE.explanation()).contains("identity provider", "Try again");
        assertThat(ProxyFailure.SIGN_IN_REFUSED.explanation()).contains("identity provider did not sign you in");
        assertThat(ProxyFailure.SIGN_IN_EXPIRED.explanation()).contains("expired", "another browser or tab", "Start again");
        assertThat(ProxyFailure.HANDOFF_REFUSED.explanation()).contains("used already", "expired", "not for this site");
        assertThat(ProxyFailure.SIGN_IN_UNAVAILABLE.explanation())
                .contains("not configured", "no identity provider", "without sign-in")
                .doesNotContain("this version");
    }

    @Test
    void tagsAreUniqueAndEveryFailureIsAnError() {
        assertThat(Arrays.stream(ProxyFailure.values()).map(ProxyFailure::tag)).doesNotHaveDuplicates();
        assertThat(ProxyFailure.values()).allSatisfy(f -> {
            assertThat(f.status()).isBetween(400, 599);
            assertThat(f.title()).isNotBlank();
            assertThat(f.explanation()).endsWith(".");
        });
    }
}
