package dev.spindle.runtime.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectLogTest {
    private static final System.Logger LOG = System.getLogger("spindle.general");

    @Test
    void swallowsTheMatchingRecordAndLetsOthersThrough() {
        try (LogRecorder outer = LogRecorder.of("spindle.general");
                ExpectLog expect = ExpectLog.of("spindle.general", "Malformed", Level.INFO)) {
            LOG.log(Level.INFO, "Malformed HTTP message from 1.2.3.4");
            LOG.log(Level.INFO, "something else");
            LOG.log(Level.WARNING, "Malformed, but at another level");
            assertEquals(1, expect.matched().size());
            assertEquals(List.of("something else", "Malformed, but at another level"), outer.takeAllMessages());
        }
    }

    @Test
    void closeFailsWhenARequiredRecordNeverCame() {
        ExpectLog expect = ExpectLog.of("spindle.general", "never logged", Level.WARNING);
        AssertionError e = assertThrows(AssertionError.class, expect::close);
        assertTrue(e.getMessage().contains("'never logged'"), e.getMessage());
    }

    @Test
    void anOptionalExpectationDoesNotFail() {
        ExpectLog.of("spindle.general", "never logged", Level.WARNING, false).close();
    }

    @Test
    void awaitWaitsForARecordFromAnotherThread() throws InterruptedException {
        try (ExpectLog expect = ExpectLog.of("spindle.general", "from a thread", Level.DEBUG)) {
            Thread t = Thread.ofPlatform().start(() -> LOG.log(Level.DEBUG, "hello from a thread"));
            assertEquals("hello from a thread", expect.await(Duration.ofSeconds(5)).getMessage());
            t.join();
        }
    }
}
