package dev.portcullis.config;

import static dev.portcullis.config.TestConfig.env;
import static dev.portcullis.config.TestConfig.load;
import static dev.portcullis.config.TestConfig.problems;
import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.config.route.Route;
import dev.portcullis.config.route.RouteAction;
import dev.portcullis.config.route.RouteMatch.PathMatch;
import dev.portcullis.config.route.UpstreamEndpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routes that are not plain HTTP, as Pomerium reads them: TCP routes ({@code tcp+https://host:port} to
 * {@code tcp://host:port}, tunnelled over CONNECT) are taken; UDP and native SSH routes are refused with a
 * sentence naming the route.
 */
class TcpRoutesTest {
    @TempDir
    Path dir;

    @Test
    void aTcpRouteTakesConnectForItsHostAndPortAndForwardsToTcp() throws ConfigException {
        Route route = load(dir, """
                routes:
                  - from: tcp+https://SSH.example.com:22
                    to: [tcp://nas:22, "tcp://backup:2222,3"]
                    allowed_users: [alice@example.com]
                """, env()).options().routes().get(0);

        assertThat(route.match().scheme()).isEqualTo("https");
        assertThat(route.match().host()).isEqualTo("ssh.example.com");
        assertThat(route.match().port()).isEqualTo(OptionalInt.of(22));
        assertThat(route.match().path()).isEqualTo(new PathMatch.Connect());
        assertThat(route.match().connect()).isTrue();
        assertThat(route.name()).isEqualTo("ssh.example.com:22");
        assertThat(route.action()).isEqualTo(new RouteAction.Forward(List.of(
                new UpstreamEndpoint("tcp", "nas", 22, "", 1), new UpstreamEndpoint("tcp", "backup", 2222, "", 3))));
        assertThat(route.timeouts().timeout()).as("no default timeout for a tunnel, as in Pomerium").isEqualTo(Duration.ZERO);
    }

    @Test
    void aTcpRouteOverPlainHttpAndItsOwnTimeouts() throws ConfigException {
        Route route = load(dir, """
                routes:
                  - from: tcp+http://redis.example.com:6379
                    to: tcp://redis:6379
                    idle_timeout: 10m
                    allow_any_authenticated_user: true
                """, env()).options().routes().get(0);

        assertThat(route.match().scheme()).isEqualTo("http");
        assertThat(route.timeouts().idleTimeout()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void udpAndNativeSshRoutesAreRefusedNamingTheRoute() {
        assertThat(problems(dir, """
                routes:
                  - from: https://app.example.com
                    to: http://app
                    allow_any_authenticated_user: true
                  - from: udp+https://dns.example.com:53
                    to: udp://dns:53
                    allow_any_authenticated_user: true
                  - from: ssh://nas.example.com
                    to: ssh://nas:22
                    allow_any_authenticated_user: true
                """, env())).contains(
                "routes[1].from: \"udp+https://dns.example.com:53\" is a UDP route (pomerium-cli udp); UDP routes are"
                        + " not supported by Portcullis: remove this route or serve it another way",
                "routes[2].from: \"ssh://nas.example.com\" is a native SSH route; ssh:// routes are not supported by"
                        + " Portcullis: tunnel SSH through a TCP route instead (from: tcp+https://nas.example.com:22,"
                        + " to: tcp://<ssh server>:22) and connect with pomerium-cli tcp");
    }

    @Test
    void tcpAndOtherSchemesDoNotMix() {
        assertThat(problems(dir, """
                routes:
                  - from: tcp+https://ssh.example.com:22
                    to: http://nas:22
                    allow_any_authenticated_user: true
                  - from: https://app.example.com
                    to: tcp://nas:22
                    allow_any_authenticated_user: true
                  - from: tcp+https://ssh.example.com
                    to: tcp://nas:22
                    allow_any_authenticated_user: true
                  - from: tcp+https://ssh.example.com:2222
                    to: tcp://nas
                    allow_any_authenticated_user: true
                  - from: tcp+https://proxy.example.com/ssh.example.com:22
                    to: tcp://nas:22
                    allow_any_authenticated_user: true
                  - from: tcp+https://ssh.example.com:23
                    response: {status: 200, body: hi}
                    allow_any_authenticated_user: true
                """, env())).containsExactly(
                "routes[0].to: \"http://nas:22\" is not a tcp:// URL; a TCP route forwards to tcp://host:port (e.g. tcp://nas:22)",
                "routes[1].to: \"tcp://nas:22\" is a TCP upstream; only a TCP route (from: tcp+https://host:port) forwards to tcp://",
                "routes[2].from: \"tcp+https://ssh.example.com\" has no port; a TCP route names the port pomerium-cli asks for"
                        + " (expected e.g. tcp+https://ssh.example.com:22)",
                "routes[3].to: \"tcp://nas\" has no port (expected e.g. tcp://nas:22)",
                "routes[4].from: \"tcp+https://proxy.example.com/ssh.example.com:22\" names its destination in the path;"
                        + " that form of TCP route is not supported: write from: tcp+https://host:port, with the host and"
                        + " port pomerium-cli asks for",
                "routes[5]: a TCP route (from: tcp+https://host:port) needs to: tcp://host:port and nothing else (found response)");
    }

    @Test
    void aPathMatcherOnATcpRouteIsWarnedAboutAsWithoutEffect() throws ConfigException {
        LoadedConfig loaded = load(dir, """
                routes:
                  - from: tcp+https://ssh.example.com:22
                    to: tcp://nas:22
                    prefix: /admin
                    allow_any_authenticated_user: true
                """, env());

        assertThat(loaded.options().routes().get(0).match().path()).isEqualTo(new PathMatch.Connect());
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("routes[0].prefix: a TCP route"
                + " (tcp+https://) takes CONNECT requests, which have no path; prefix has no effect"));
    }
}
