package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static dev.portcullis.policy.Requests.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The policies of the guides people follow today, as SnakeYAML hands them over. */
class GuidesTest {

    /**
     * The Synology guide's route:
     * <pre>
     * policy:
     *   - allow:
     *       or:
     *         - email:
     *             is: your.email.address@gmail.com
     * </pre>
     */
    private static final Object SYNOLOGY = List.of(
            Map.of("allow", Map.of("or", List.of(Map.of("email", Map.of("is", "your.email.address@gmail.com"))))));

    @Test
    void synologyLetsTheOwnerIn() throws PolicyException {
        Policy policy = PolicyCompiler.compile("policy[0]", LegacyRules.none(), SYNOLOGY);

        Decision decision = policy.evaluate(as("your.email.address@gmail.com").build());
        assertThat(decision.outcome()).isEqualTo(Outcome.ALLOW);
        assertThat(decision.reasons()).containsExactly("email-ok");
        assertThat(decision.explanation())
                .isEqualTo("allowed: policy[0].policy[0].allow.or[0] matched (email is your.email.address@gmail.com)");
        assertThat(policy.describe()).isEqualTo("allow if email is your.email.address@gmail.com");
        assertThat(policy.isPublic()).isFalse();
    }

    @Test
    void synologySendsStrangersToSignInAndForbidsOthers() throws PolicyException {
        Policy policy = PolicyCompiler.compile("policy[0]", LegacyRules.none(), SYNOLOGY);

        assertThat(policy.evaluate(anonymous().build()).outcome()).isEqualTo(Outcome.SIGN_IN);
        Decision other = policy.evaluate(as("someone.else@gmail.com").build());
        assertThat(other.outcome()).isEqualTo(Outcome.FORBIDDEN);
        assertThat(other.reasons()).containsExactly("email-unauthorized");
        assertThat(other.explanation()).isEqualTo("denied: no allow rule matched; policy[0] requires email is"
                + " your.email.address@gmail.com, you are someone.else@gmail.com");
    }

    @Test
    void synologyComparesExactly() throws PolicyException {
        Policy policy = PolicyCompiler.compile("policy[0]", LegacyRules.none(), SYNOLOGY);

        assertThat(policy.evaluate(as("Your.Email.Address@gmail.com").build()).allowed()).isFalse();
    }
}
