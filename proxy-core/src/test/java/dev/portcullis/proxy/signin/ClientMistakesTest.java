package dev.portcullis.proxy.signin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.proxy.testing.RawHttp;
import dev.portcullis.proxy.testing.SignInClient;
import dev.portcullis.proxy.testing.SignInClient.Answer;
import dev.portcullis.proxy.testing.SignInFixture;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A client's mistake on a sign-in, callback or hand-off endpoint is a 4xx that says what is wrong,
 * never a 502 blaming the identity provider: the provider is not even asked.
 */
class ClientMistakesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private SignInFixture fixture;
    private SignInClient browser;

    @BeforeEach
    void start() throws Exception {
        fixture = SignInFixture.start("");
        browser = new SignInClient(fixture.port);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private String authenticate(String pathAndQuery) {
        return fixture.url("authenticate", pathAndQuery);
    }

    /** Starts signing in to app.test as a browser does and returns the state the provider was sent. */
    private String startSigningIn() throws Exception {
        Answer toSignIn = browser.get(fixture.url("app", "/"));
        Answer toProvider = browser.get(toSignIn.location());
        assertThat(toProvider.location()).startsWith(fixture.idp.issuerUrl());
        return new QueryStringDecoder(toProvider.location()).parameters().get("state").get(0);
    }

    private static void assertSaysWhatIsWrong(Answer answer, String what) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.body()).contains("What is wrong").contains(what).contains("Request ID");
    }

    @Test
    void aCallbackWithAnEmptyCodeAndAValidStateIsTheClientsMistake() throws Exception {
        String state = startSigningIn();
        int tokenCalls = fixture.idp.requests("/token").size();
        Answer answer = browser.get(authenticate("/oauth2/callback?code=&state=" + state));
        assertSaysWhatIsWrong(answer, "no authorization code");
        assertThat(fixture.idp.requests("/token").size()).as("the provider is not asked").isEqualTo(tokenCalls);

        Answer json = browser.get(authenticate("/oauth2/callback?state=" + state), "Accept", "application/json");
        assertThat(json.status()).isEqualTo(400);
    }

    /** A request sent as written (the JDK's client refuses malformed escapes), with the browser's cookies for {@code host}. */
    private RawHttp.Answer raw(String host, String pathAndQuery) throws Exception {
        StringBuilder cookies = new StringBuilder();
        browser.cookies(host).forEach((name, value) -> cookies.append(cookies.length() == 0 ? "" : "; ")
                .append(name).append('=').append(value));
        return RawHttp.send(fixture.port, "GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + ":" + fixture.port
                + "\r\nAccept: application/json\r\n" + (cookies.length() > 0 ? "Cookie: " + cookies + "\r\n" : "")
                + "Connection: close\r\n\r\n");
    }

    private static JsonNode jsonOf(RawHttp.Answer answer) throws Exception {
        return JSON.readTree(answer.text().substring(answer.text().indexOf("\r\n\r\n") + 4));
    }

    @ParameterizedTest
    @ValueSource(strings = {"code=a&code=b&state=STATE", "code=a&state=STATE&state=STATE", "code=%zz&state=STATE",
            "code=a&state=STATE&code=%e"})
    void anUnreadableOrAmbiguousCallbackIs400(String query) throws Exception {
        String state = startSigningIn();
        int tokenCalls = fixture.idp.requests("/token").size();
        RawHttp.Answer answer = raw("authenticate.test", "/oauth2/callback?" + query.replace("STATE", state));
        assertThat(answer.status()).as(answer.text()).isEqualTo(400);
        JsonNode body = jsonOf(answer);
        assertThat(body.path("detail").asText()).matches(".*(given 2 times|malformed % escape).*");
        assertThat(body.path("request_id").asText()).isNotBlank();
        assertThat(fixture.idp.requests("/token").size()).isEqualTo(tokenCalls);
    }

    @Test
    void signingInWithoutOrWithAForeignReturnAddressIs400SayingWhich() throws Exception {
        assertSaysWhatIsWrong(browser.get(authenticate("/.pomerium/sign_in")), "pomerium_redirect_uri");
        assertSaysWhatIsWrong(browser.get(authenticate("/.pomerium/sign_in?pomerium_redirect_uri=https://evil.example/")),
                "not the address of a route");
        assertThat(jsonOf(raw("authenticate.test", "/.pomerium/sign_in?pomerium_redirect_uri=%zz")).path("detail").asText())
                .contains("malformed");
        assertSaysWhatIsWrong(browser.get(authenticate("/.pomerium/sign_in?pomerium_login=forged")), "ticket");
    }

    @Test
    void aHandOffOrProgrammaticLoginThatCannotBeReadIs400() throws Exception {
        for (String query : List.of("pomerium_handoff=a&pomerium_handoff=b", "pomerium_handoff=%")) {
            RawHttp.Answer answer = raw("app.test", "/.pomerium/callback/?" + query);
            assertThat(answer.status()).as(query).isEqualTo(400);
        }
        assertSaysWhatIsWrong(browser.get(fixture.url("app", "/.pomerium/api/v1/login")), "pomerium_redirect_uri");
    }

    @Test
    void aBackChannelLogoutFormThatCannotBeReadIs400() throws Exception {
        Answer answer = browser.post(authenticate("/.pomerium/backchannel_logout"), "logout_token=%zz");
        assertThat(answer.status()).isEqualTo(400);
    }
}
