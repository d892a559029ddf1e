package dev.portcullis.proxy.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code kill -HUP} on this very process reaches the reload; under {@code nohup} the start-up says it cannot. */
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

    @Test
    void aProcessStartedWithHangUpIgnoredSaysSoAtStartUp() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // what nohup does before it runs the command: SIGHUP ignored, inherited across exec
        String command = "trap '' HUP; exec \"$0\" -cp \"$1\" " + HangUpProbe.class.getName();
        Process probe = new ProcessBuilder("sh", "-c", command, java, System.getProperty("java.class.path"))
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(probe.waitFor()).isZero();
        assertThat(output).contains("SIGHUP is ignored by this process (it was started under nohup, or by a parent that"
                + " ignores SIGHUP), so kill -HUP will not reload").endsWith("sighup reloads: false\n");
    }

    @Test
    void aProcessStartedNormallyReloadsOnHangUpAndSaysNothing() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process probe = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), HangUpProbe.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(probe.waitFor()).isZero();
        assertThat(output).doesNotContain("SIGHUP").endsWith("sighup reloads: true\n");
    }
}
