package dev.portcullis.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.testing.RunningProxy;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which route a CONNECT finds, and where a TCP route's host counts as one of the configuration's. */
class RouteTableConnectTest {
    private static RouteTable routes;

    @BeforeAll
    static void load() throws Exception {
        routes = RouteTable.of(RunningProxy.load("""
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allow_public_unauthenticated_access: true
                  - from: tcp+https://ssh.example.com:22
                    to: tcp://nas:22
                    allow_any_authenticated_user: true
                  - from: tcp+https://*.rdp.example.com:3389
                    to: tcp://windows:3389
                    allow_any_authenticated_user: true
                """, Map.of()).routes());
    }

    private static RequestHost host(String authority) {
        return RequestHost.parse(authority);
    }

    @Test
    void aConnectFindsOnlyATcpRouteForExactlyItsHostAndPort() {
        assertThat(routes.resolveConnect(host("ssh.example.com:22"))).hasValueSatisfying(entry ->
                assertThat(entry.route().name()).isEqualTo("ssh.example.com:22"));
        assertThat(routes.resolveConnect(host("pc.rdp.example.com:3389"))).isPresent();
        assertThat(routes.resolveConnect(host("ssh.example.com:2222"))).isEmpty();
        assertThat(routes.resolveConnect(host("ssh.example.com:443"))).isEmpty();
        assertThat(routes.resolveConnect(host("rdp.example.com:3389"))).isEmpty();
        assertThat(routes.resolveConnect(host("app.example.com:443"))).as("an HTTP route is never tunnelled to").isEmpty();
        assertThat(routes.resolveConnect(host("example.com:443"))).isEmpty();
    }

    @Test
    void aPlainRequestNeverFindsATcpRoute() {
        assertThat(routes.resolve(host("ssh.example.com:22"), "/")).isEmpty();
        assertThat(routes.resolve(host("ssh.example.com"), "/")).isEmpty();
        assertThat(routes.resolve(host("app.example.com"), "/")).isPresent();
    }

    @Test
    void aTcpRoutesHostIsTheConfigurationsAtTheDefaultPortAndItsOwnOnly() {
        assertThat(routes.hostRoute(host("ssh.example.com"))).hasValueSatisfying(match ->
                assertThat(match.scheme()).isEqualTo("https"));
        assertThat(routes.hostRoute(host("ssh.example.com:443"))).isPresent();
        assertThat(routes.hostRoute(host("ssh.example.com:22"))).isPresent();
        assertThat(routes.hostRoute(host("ssh.example.com:2222"))).isEmpty();
        assertThat(routes.hostRoute(host("pc.rdp.example.com"))).isPresent();
    }
}
