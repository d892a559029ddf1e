package dev.portcullis.config.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Pomerium's own cases (internal/headertemplate/headertemplate_test.go), and what follows from them. */
class HeaderTemplateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "x $$ y $$ z|x $ y $ z",
            "${x.y.z}|<x,y,z>",
            "${   x   .\ty .  z }|<x,y,z>",
            "${x[\"y\"].z}|<x,y,z>",
            "${x[\"|${x[\"",
            "${|${",
            "${}|${}",
            "${x[\"\\\\\"]}|<x,\\>",
            "${x[\"\\\"\"]}|<x,\">",
            "${pomerium.access_token}|<pomerium,access_token>",
            "$pomerium.access_token|<pomerium,access_token>",
            "${pomerium.client_cert_fingerprint}|<pomerium,client_cert_fingerprint>",
            "$pomerium.id_token|<pomerium,id_token>",
            "${pomerium.jwt}|<pomerium,jwt>",
            "${pomerium.request.headers[\"X-Access-Token\"]}|<pomerium,request,headers,X-Access-Token>",
            "$pomerium.request.headers.X-Access-Token|<pomerium,request,headers,X-Access-Token>",
            "Bearer ${pomerium.id_token}|Bearer <pomerium,id_token>",
            "a $ b|a $ b",
            "price: 5$|price: 5$",
    })
    void rendersAsPomerium(String template, String expected) {
        assertThat(HeaderTemplate.render(template, ref -> "<" + String.join(",", ref) + ">")).isEqualTo(expected);
    }

    @Test
    void unknownNamesBecomeNothingAndSubstitutedValuesAreNotReadAgain() {
        assertThat(HeaderTemplate.render("home=$HOME;", ref -> "")).isEqualTo("home=;");
        assertThat(HeaderTemplate.render("${pomerium.id_token}", ref -> "$pomerium.access_token"))
                .isEqualTo("$pomerium.access_token");
        assertThat(HeaderTemplate.render("before ${   pomerium  .  jwt  } after", ref -> ref.equals(List.of("pomerium", "jwt")) ? "JWT" : "?"))
                .isEqualTo("before JWT after");
    }

    @Test
    void listsTheReferences() {
        assertThat(HeaderTemplate.references("Bearer ${pomerium.id_token} $pomerium.id_token $$x $other"))
                .containsExactly(List.of("pomerium", "id_token"), List.of("other"));
    }
}
