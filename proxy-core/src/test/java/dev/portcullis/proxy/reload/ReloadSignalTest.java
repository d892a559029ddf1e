package dev.portcullis.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code kill -HUP} on this very process reaches the reload. */
class ReloadSignalTest {
    @Test
    void aHangUpSignalAsksForAReload() throws Exception {
        CountDownLatch asked = new CountDownLatch(2);
        ReloadSignal.onHangUp(asked::countDown);
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < 2; i++) {
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(pid)).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            Thread.sleep(100);
        }
        assertThat(asked.await(5, TimeUnit.SECONDS)).as("each SIGHUP reached the handler, and the process lives").isTrue();
    }
}
