package dev.spindle.runtime.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LoopTest;
import org.junit.jupiter.api.Test;

@LoopTest
class BoundedSemaphoreTest {
    @Test
    void releaseBeyondInitialValueThrows() {
        BoundedSemaphore sem = BoundedSemaphore.create(2);
        sem.acquire();
        sem.release();
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::release);
        assertTrue(e.getMessage().contains("released too many times"), e.getMessage());
        assertEquals(2, sem.value());
    }

    @Test
    void releaserClosedTwiceReleasesOnce() {
        BoundedSemaphore sem = BoundedSemaphore.create(1);
        Releaser r = sem.acquire();
        r.close();
        r.close();
        assertEquals(1, sem.value());
    }

    @Test
    void toStringShowsTheBound() {
        BoundedSemaphore sem = BoundedSemaphore.create(3);
        sem.acquire();
        assertEquals("BoundedSemaphore[value=2, bound=3, waiters=0]", sem.toString());
    }
}
