package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ParentWatchTest {
    private static Process sleeper() throws Exception {
        return new ProcessBuilder("sleep", "120").start();
    }

    @Test
    void theWatchRunsItsActionOnceTheWatchedProcessHasEnded() throws Exception {
        Process parent = sleeper();
        CountDownLatch ran = new CountDownLatch(1);
        Thread watch = ParentWatch.start(parent.toHandle(), Duration.ofMillis(20), ran::countDown);
        assertTrue(watch.isDaemon());
        assertEquals("spindle-parent-watch", watch.getName());
        assertFalse(ran.await(0, TimeUnit.MILLISECONDS), "the process is alive");
        parent.destroyForcibly().waitFor();
        ran.await();
        assertTrue(watch.join(Duration.ofSeconds(20)));
    }

    @Test
    void anInterruptEndsTheWatchWithoutTheAction() throws Exception {
        Process parent = sleeper();
        try {
            AtomicBoolean ran = new AtomicBoolean();
            Thread watch = ParentWatch.start(parent.toHandle(), Duration.ofSeconds(30), () -> ran.set(true));
            watch.interrupt();
            assertTrue(watch.join(Duration.ofSeconds(20)));
            assertFalse(ran.get());
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }

    @Test
    void nothingIsWatchedUnlessAskedFor() {
        assertEquals("spindle.exitWithParent", ParentWatch.PROPERTY);
        assertFalse(Boolean.getBoolean(ParentWatch.PROPERTY), "the test JVM does not set it");
        assertNull(ParentWatch.startIfRequested());
    }

    @Test
    void argumentsAreChecked() {
        ProcessHandle self = ProcessHandle.current();
        assertThrows(NullPointerException.class, () -> ParentWatch.start(null, Duration.ofSeconds(1), () -> {}));
        assertThrows(NullPointerException.class, () -> ParentWatch.start(self, Duration.ofSeconds(1), null));
        assertEquals("period must be positive: PT0S",
                assertThrows(IllegalArgumentException.class, () -> ParentWatch.start(self, Duration.ZERO, () -> {})).getMessage());
    }
}
