package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.sync.Event;
import dev.spindle.runtime.sync.Queue;
import dev.spindle.runtime.testing.LoopTest;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

@LoopTest
class CoroutineDumpTest {
    private static String readQueue(Queue<String> q) {
        return q.get();
    }

    private static Void waitForEvent(Event e) {
        e.await();
        return null;
    }

    private static Void napOnATimer() {
        Coroutines.sleep(Duration.ofHours(1));
        return null;
    }

    @Test
    void dumpShowsEachParkedCoroutineWithWhatItAwaitsAndItsFrames(IOLoop loop) {
        Queue<String> q = Queue.create();
        Event e = Event.create();
        CompletableFuture<String> reader = loop.spawn("queue-reader", () -> readQueue(q));
        CompletableFuture<Void> waiter = loop.spawn("event-waiter", () -> waitForEvent(e));
        CompletableFuture<Void> sleeper = loop.spawn("sleeper", CoroutineDumpTest::napOnATimer);
        moment();

        List<CoroutineInfo> all = loop.listCoroutines();
        assertEquals(4, all.size(), all.toString()); // The three, and this test's own coroutine.
        CoroutineInfo r = find(all, "queue-reader");
        assertEquals(CoroutineInfo.State.PARKED, r.state());
        assertEquals("get() on Queue[maxSize=0, size=0, getters=1, putters=0, unfinished=0]", r.awaiting());
        assertTrue(frames(r).contains("CoroutineDumpTest.readQueue"), frames(r));
        CoroutineInfo w = find(all, "event-waiter");
        assertEquals("await() on Event[clear, waiters=1]", w.awaiting());
        assertTrue(frames(w).contains("CoroutineDumpTest.waitForEvent"), frames(w));
        CoroutineInfo s = find(all, "sleeper");
        assertEquals("sleep(PT1H)", s.awaiting());
        assertTrue(frames(s).contains("CoroutineDumpTest.napOnATimer"), frames(s));
        CoroutineInfo self = all.getFirst();
        assertEquals(CoroutineInfo.State.RUNNING, self.state(), self.toString());

        String dump = loop.dumpCoroutines();
        assertTrue(dump.startsWith("IOLoop[" + loop.name()), dump);
        assertTrue(dump.contains("4 live coroutines"), dump);
        assertTrue(dump.contains("\"queue-reader\" parked, awaiting get() on Queue["), dump);
        assertTrue(dump.contains("\tat dev.spindle.runtime.CoroutineDumpTest.waitForEvent("), dump);

        q.put("done");
        e.set();
        sleeper.cancel(true);
        await(reader);
        await(waiter);
    }

    @Test
    void theLoopsMXBeanDumpsItsCoroutines(IOLoop loop) throws Exception {
        Event e = Event.create();
        CompletableFuture<Void> waiter = loop.spawn("jmx-visible", () -> waitForEvent(e));
        moment();
        LoopMXBeans.flush(); // Registration runs in the background.
        ObjectName name = new ObjectName("dev.spindle:type=IOLoop,name=" + loop.name());
        String dump = (String) ManagementFactory.getPlatformMBeanServer().invoke(name, "dumpCoroutines", null, null);
        assertTrue(dump.contains("\"jmx-visible\" parked, awaiting await() on Event[clear, waiters=1]"), dump);
        assertEquals(2, ManagementFactory.getPlatformMBeanServer().getAttribute(name, "CoroutineCount"));
        e.set();
        await(waiter);
    }

    @Test
    void aClosedLoopsMXBeanIsUnregistered() throws Exception {
        IOLoop other = IOLoop.create();
        ObjectName name = new ObjectName("dev.spindle:type=IOLoop,name=" + other.name());
        LoopMXBeans.flush();
        assertTrue(ManagementFactory.getPlatformMBeanServer().isRegistered(name));
        other.close();
        LoopMXBeans.flush();
        assertTrue(!ManagementFactory.getPlatformMBeanServer().isRegistered(name));
    }

    private static CoroutineInfo find(List<CoroutineInfo> all, String name) {
        return all.stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError(all));
    }

    private static String frames(CoroutineInfo i) {
        return i.stack().stream().map(StackTraceElement::toString).collect(Collectors.joining("\n"));
    }
}
