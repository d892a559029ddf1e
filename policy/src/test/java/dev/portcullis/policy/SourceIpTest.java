package dev.portcullis.policy;

import static dev.portcullis.policy.Requests.anonymous;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code source_ip}: addresses and CIDR ranges, IPv4 and IPv6, one or a list. */
class SourceIpTest {

    static Stream<Arguments> ranges() {
        return Stream.of(
                arguments("192.168.1.7", "192.168.1.7", true),
                arguments("192.168.1.7", "192.168.1.8", false),
                arguments("192.168.1.0/24", "192.168.1.255", true),
                arguments("192.168.1.0/24", "192.168.2.0", false),
                arguments("10.0.0.0/8", "10.255.255.255", true),
                arguments("10.0.0.0/8", "11.0.0.0", false),
                arguments("10.1.2.3/8", "10.200.0.1", true),
                arguments("172.16.0.0/12", "172.31.255.255", true),
                arguments("172.16.0.0/12", "172.32.0.0", false),
                arguments("0.0.0.0/0", "203.0.113.9", true),
                arguments("0.0.0.0/0", "2001:db8::1", false),
                arguments("192.0.2.1/32", "192.0.2.1", true),
                arguments("10.0.0.0/8", "::ffff:10.1.2.3", true),
                arguments("10.0.0.0/8", "::ffff:a01:203", true),
                arguments("2001:db8::/32", "2001:db8:1234::1", true),
                arguments("2001:db8::/32", "2001:db9::1", false),
                arguments("2001:db8::/32", "2001:DB8::abcd", true),
                arguments("2001:db8::/32", "[2001:db8::1]", true),
                arguments("fe80::/10", "fe80::1%eth0", true),
                arguments("::1", "::1", true),
                arguments("::1/128", "::2", false),
                arguments("::/0", "2001:db8::1", true),
                arguments("2001:db8:0:0:0:0:0:1", "2001:db8::1", true),
                arguments("2001:db8::ff00:42:8329/128", "2001:0db8:0000:0000:0000:ff00:0042:8329", true),
                arguments("64:ff9b::/96", "64:ff9b::192.0.2.33", true),
                arguments("2001:db8::/48", "2001:db8:0:ffff:ffff:ffff:ffff:ffff", true),
                arguments("2001:db8::/48", "2001:db8:1::", false),
                arguments("2001:db8::/65", "2001:db8::7fff:ffff:ffff:ffff", true),
                arguments("2001:db8::/65", "2001:db8::8000:0:0:0", false),
                arguments("[192.168.1.0/24, 2001:db8::/32]", "2001:db8::5", true),
                arguments("[192.168.1.0/24, 2001:db8::/32]", "192.168.1.5", true),
                arguments("[192.168.1.0/24, 2001:db8::/32]", "192.168.3.5", false),
                // not addresses: never match, never looked up
                arguments("10.0.0.0/8", "", false),
                arguments("10.0.0.0/8", "localhost", false),
                arguments("10.0.0.0/8", "10.0.0.256", false),
                arguments("10.0.0.0/8", "010.0.0.1", false),
                arguments("10.0.0.0/8", "10.0.0.1:443", false),
                arguments("::/0", "1:2:3:4:5:6:7:8:9", false),
                arguments("::/0", "1::2::3", false),
                arguments("::/0", "12345::1", false),
                arguments("::/0", ":1:2:3:4:5:6:7", false));
    }

    @ParameterizedTest(name = "source_ip {0} for {1}: {2}")
    @MethodSource("ranges")
    void sourceIp(String ranges, String client, boolean allowed) {
        assertThat(Policies.allows("{allow: {or: [{source_ip: " + ranges + "}]}}", anonymous().from(client)))
                .isEqualTo(allowed);
    }
}
