package dev.spindle.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {
    private final TimerQueue timers = new TimerQueue();
    private final List<String> fired = new ArrayList<>();

    private Runnable record(String name) {
        return () -> fired.add(name);
    }

    private void fireDue(long now) {
        List<Runnable> due = new ArrayList<>();
        timers.pollDue(now, due);
        due.forEach(Runnable::run);
    }

    @Test
    void dueTimersFireInDeadlineThenSchedulingOrder() {
        timers.schedule(30, record("30"));
        timers.schedule(10, record("10a"));
        timers.schedule(10, record("10b"));
        timers.schedule(50, record("50"));
        fireDue(30);
        assertEquals(List.of("10a", "10b", "30"), fired);
        assertEquals(20, timers.nanosUntilNext(30));
    }

    @Test
    void timersFromOtherThreadsKeepTheOrderTheyWereMadeInAmongEqualDeadlines() {
        timers.scheduleFromAnyThread(10, record("made off the loop first"));
        timers.schedule(10, record("made on the loop second"));
        timers.scheduleFromAnyThread(10, record("made off the loop third"));
        assertEquals(0, timers.nanosUntilNext(10));
        TimerHandle cancelled = timers.scheduleFromAnyThread(10, record("cancelled before it reached the heap"));
        assertTrue(cancelled.cancel());
        fireDue(10);
        assertEquals(List.of("made off the loop first", "made on the loop second", "made off the loop third"), fired);
        assertTrue(timers.isEmpty());
    }

    @Test
    void cancelledTimersNeverFireAndDoNotCountAsNext() {
        TimerHandle t = timers.schedule(10, record("cancelled"));
        timers.schedule(20, record("kept"));
        assertTrue(t.cancel());
        assertEquals(15, timers.nanosUntilNext(5));
        fireDue(100);
        assertEquals(List.of("kept"), fired);
        assertEquals(-1, timers.nanosUntilNext(100));
    }

    @Test
    void aFiredTimerCannotBeCancelled() {
        TimerHandle t = timers.schedule(1, record("x"));
        fireDue(1);
        assertFalse(t.cancel());
        assertFalse(t.isCancelled());
    }

    @Test
    void deadlinesCompareAcrossNanoTimeWraparound() {
        long near = Long.MAX_VALUE - 5;
        timers.schedule(near + 10, record("after wrap")); // overflows to a negative number
        timers.schedule(near, record("before wrap"));
        fireDue(near);
        assertEquals(List.of("before wrap"), fired);
    }

    @Test
    void manyCancellationsAreCompactedAway() {
        List<TimerHandle> hs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            hs.add(timers.schedule(1000 + i, record("t" + i)));
        }
        hs.subList(0, 1500).forEach(TimerHandle::cancel);
        fireDue(0); // nothing due, but the heap is compacted
        assertEquals(500, timers.size());
    }

    @Test
    void toStringShowsTheState() {
        TimerHandle t = timers.schedule(7, record("x"));
        assertEquals("Timer[deadline=7, pending]", t.toString());
        t.cancel();
        assertEquals("Timer[deadline=7, cancelled]", t.toString());
    }
}
