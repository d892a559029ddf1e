package dev.portcullis.authn.idp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which discovered issuers fit the configured URL: the same one, or Microsoft's tenant template over one segment. */
class TenantIssuerTest {

    @ParameterizedTest(name = "{0} for {1}: {2}")
    @CsvSource(delimiter = '|', value = {
        "https://id.example/realms/a                         | https://id.example/realms/a                       | true",
        "https://id.example/realms/a/                        | https://id.example/realms/a                       | true",
        "https://id.example/realms/b                         | https://id.example/realms/a                       | false",
        "https://login.microsoftonline.com/{tenantid}/v2.0   | https://login.microsoftonline.com/common/v2.0     | true",
        "https://login.microsoftonline.com/{tenantid}/v2.0   | https://login.microsoftonline.com/organizations/v2.0 | true",
        "https://login.microsoftonline.com/{tenantid}/v2.0   | https://login.microsoftonline.com/a/b/v2.0        | false",
        "https://login.microsoftonline.com/{tenantid}/v2.0   | https://login.microsoftonline.com//v2.0           | false",
        "https://login.microsoftonline.com/{tenantid}/v2.0   | https://login.microsoftonline.com/common/v1.0     | false",
        "https://login.attacker.example/{tenantid}/v2.0      | https://login.microsoftonline.com/common/v2.0     | false",
        "https://login.microsoftonline.com/x{tenantid}/v2.0  | https://login.microsoftonline.com/xcommon/v2.0    | false",
        "https://login.microsoftonline.com/{tenantid}/{tenantid} | https://login.microsoftonline.com/common/common | false"})
    void fits(String announced, String configured, boolean fits) {
        assertThat(TenantIssuer.fits(announced, configured)).isEqualTo(fits);
    }
}
