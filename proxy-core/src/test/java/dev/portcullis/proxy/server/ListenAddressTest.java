package dev.portcullis.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Addresses in the log are written as {@code address:} takes them, without {@code InetSocketAddress}'s slash. */
class ListenAddressTest {

    @Test
    void addressesAreShownAsTheyAreWritten() {
        assertThat(ListenAddress.display(new InetSocketAddress("127.0.0.1", 8080))).isEqualTo("127.0.0.1:8080");
        assertThat(ListenAddress.display(new InetSocketAddress("::1", 8443))).isEqualTo("[0:0:0:0:0:0:0:1]:8443");
        assertThat(ListenAddress.display(new InetSocketAddress(443))).isEqualTo(":443");
        assertThat(ListenAddress.display(InetSocketAddress.createUnresolved("localhost", 8080))).isEqualTo("localhost:8080");
        assertThat(ListenAddress.display(ListenAddress.parse("[::1]:443"))).doesNotStartWith("/");
    }
}
