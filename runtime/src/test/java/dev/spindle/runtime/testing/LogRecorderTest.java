package dev.spindle.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRecorderTest {
    private static final System.Logger LOG = System.getLogger("spindle.application");

    @Test
    void takeAllReturnsRecordsAtOrAboveTheLevelAndForgetsThem() {
        try (LogRecorder log = LogRecorder.of("spindle.application", Level.INFO)) {
            LOG.log(Level.DEBUG, "too fine");
            LOG.log(Level.INFO, "one {0}", "arg");
            LOG.log(Level.ERROR, "two");
            assertEquals(List.of("one arg", "two"), log.takeAllMessages());
            assertEquals(List.of(), log.takeAll());
        }
    }

    @Test
    void awaitFailsAfterTheTimeout() {
        try (LogRecorder log = LogRecorder.of("spindle.application")) {
            assertThrows(AssertionError.class, () -> log.await("never", Duration.ofMillis(10)));
        }
    }
}
