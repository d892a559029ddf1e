package dev.portcullis.proxy.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.portcullis.proxy.transport.Transport;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The test harness's own guards work: a blocking call on an event loop and a leaked buffer are caught. */
class HarnessSelfTest {
    @Test
    void aLeakedBufferIsCaught() throws Exception {
        leak();
        assertThat(LeakFailingExtension.takeLeaks()).isNotEmpty();
    }

    private static void leak() {
        io.netty.buffer.ByteBufAllocator.DEFAULT.buffer(64).writeInt(1);
    }

    @Test
    void aBlockingCallOnAnEventLoopIsCaught() throws Exception {
        EventLoopGroup group = Transport.best().newGroup(1, "harness-check");
        try {
            Throwable thrown = group.submit(() -> {
                try {
                    Thread.sleep(1);
                    return null;
                } catch (Error e) {
                    return e;
                }
            }).get(5, TimeUnit.SECONDS);
            assertThat(thrown).isNotNull().hasMessageContaining("Thread.sleep");
            assertThat(BlockingCallsFailExtension.takeFound()).singleElement().asString().contains("harness-check");
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            group.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
