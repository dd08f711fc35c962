package dev.spindle.runtime.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spindle.runtime.testing.LoopTest;
import java.util.List;
import org.junit.jupiter.api.Test;

@LoopTest
class LifoQueueTest {
    @Test
    void getReturnsTheNewestItemFirst() {
        LifoQueue<Integer> q = LifoQueue.create();
        q.putNowait(3);
        q.putNowait(2);
        q.putNowait(1);
        assertEquals(List.of(1, 2, 3), List.of(q.getNowait(), q.getNowait(), q.getNowait()));
        assertEquals("LifoQueue[maxSize=0, size=0, getters=0, putters=0, unfinished=3]", q.toString());
    }
}
