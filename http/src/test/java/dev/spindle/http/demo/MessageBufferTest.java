package dev.spindle.http.demo;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.testing.LoopTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

@LoopTest
class MessageBufferTest {
    private static final Duration LONG = Duration.ofSeconds(30);

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::body).toList();
    }

    @Test
    void sinceGivesTheMessagesAfterTheCursorInOrder() {
        MessageBuffer b = new MessageBuffer(10);
        Message one = b.add("one");
        Message two = b.add("two");
        b.add("three");
        assertEquals(List.of("one", "two", "three"), bodies(b.since(null)));
        assertEquals(List.of("two", "three"), bodies(b.since(one.id())));
        assertEquals(List.of("three"), bodies(b.since(two.id())));
        assertEquals(List.of(), b.since(b.since(null).getLast().id()));
        assertFalse(one.id().equals(two.id()));
    }

    @Test
    void unknownAndEvictedCursorsGetTheWholeBuffer() {
        MessageBuffer b = new MessageBuffer(2);
        Message first = b.add("1");
        b.add("2");
        b.add("3");
        assertEquals(2, b.size());
        assertEquals(List.of("2", "3"), bodies(b.since(first.id())));
        String prefix = first.id().substring(0, first.id().lastIndexOf('-') + 1);
        for (String cursor : List.of("", "nonsense", prefix, prefix + "x", prefix + "99", "0000000000000000-2")) {
            assertEquals(List.of("2", "3"), bodies(b.since(cursor)), cursor);
        }
        assertEquals(List.of(), new MessageBuffer(3).since(null));
    }

    @Test
    void idsDifferBetweenBuffersSoACursorFromAnotherRunIsUnknown() {
        MessageBuffer a = new MessageBuffer(5);
        MessageBuffer b = new MessageBuffer(5);
        String fromA = a.add("x").id();
        b.add("y");
        assertEquals(List.of("y"), bodies(b.since(fromA)));
    }

    @Test
    void aWaiterGetsTheNextMessageAndEveryWaiterWakesAtOnce() {
        MessageBuffer b = new MessageBuffer(10);
        CompletableFuture<Void> never = new CompletableFuture<>();
        CompletableFuture<List<Message>> w1 = spawn(() -> b.awaitNewer(null, LONG, never));
        CompletableFuture<List<Message>> w2 = spawn(() -> b.awaitNewer(null, LONG, never));
        await(b.whenWaiters(2));
        assertEquals("MessageBuffer[0 of 10 messages, waiters=2]", b.toString());
        b.add("hello");
        assertEquals(List.of("hello"), bodies(await(w1)));
        assertEquals(List.of("hello"), bodies(await(w2)));
        assertEquals(0, b.waiters());
    }

    @Test
    void aWaitEndsEmptyAfterMaxWait() {
        MessageBuffer b = new MessageBuffer(10);
        String last = b.add("old").id();
        assertEquals(List.of(), b.awaitNewer(last, Duration.ofMillis(20), new CompletableFuture<>()));
        assertEquals(0, b.waiters());
    }

    @Test
    void aWaiterWhoseClientWentAwayIsReleasedAtOnce() {
        MessageBuffer b = new MessageBuffer(10);
        CompletableFuture<Void> gone = new CompletableFuture<>();
        CompletableFuture<List<Message>> w = spawn(() -> b.awaitNewer(null, LONG, gone));
        await(b.whenWaiters(1));
        gone.complete(null);
        assertNull(await(w));
        assertEquals(0, b.waiters());
        assertNull(b.awaitNewer(null, LONG, CompletableFuture.completedFuture(null)), "already gone: no wait at all");
    }

    @Test
    void aCancelledWaiterLeavesTheLine() {
        MessageBuffer b = new MessageBuffer(10);
        CompletableFuture<List<Message>> w = spawn(() -> b.awaitNewer(null, LONG, new CompletableFuture<>()));
        await(b.whenWaiters(1));
        w.cancel(true);
        assertThrows(CancellationException.class, () -> await(w));
        await(b.whenWaiters(0)); // Its finally has run: it left the line.
        b.add("after"); // Nobody is woken; nothing fails.
        moment();
    }

    @Test
    void messagesThatCameWhileTheWaiterWasOutAreNotMissed() {
        MessageBuffer b = new MessageBuffer(10);
        String cursor = b.add("seen").id();
        b.add("missed while reconnecting");
        assertEquals(List.of("missed while reconnecting"), bodies(b.awaitNewer(cursor, LONG, new CompletableFuture<>())));
        assertEquals(0, b.waiters(), "answered at once, never parked");
    }

    @Test
    void whenWaitersCompletesAtTheCountAndRejectsNegatives(IOLoop loop) {
        MessageBuffer b = new MessageBuffer(1);
        assertTrue(b.whenWaiters(0).isDone());
        CompletableFuture<Void> one = b.whenWaiters(1);
        assertFalse(one.isDone());
        CompletableFuture<List<Message>> w = spawn(() -> b.awaitNewer(null, LONG, new CompletableFuture<>()));
        await(one);
        CompletableFuture<Void> none = b.whenWaiters(0);
        b.add("x");
        await(none);
        await(w);
        assertEquals("count < 0: -1", assertThrows(IllegalArgumentException.class, () -> b.whenWaiters(-1)).getMessage());
    }

    @Test
    void capacityMustBePositiveAndNullBodiesAreRejected() {
        assertEquals("capacity < 1: 0", assertThrows(IllegalArgumentException.class, () -> new MessageBuffer(0)).getMessage());
        assertThrows(NullPointerException.class, () -> new MessageBuffer(1).add(null));
    }

    @Test
    void toStringShowsMessagesAndWaiters() {
        MessageBuffer b = new MessageBuffer(3);
        b.add("a");
        assertEquals("MessageBuffer[1 of 3 messages, waiters=0]", b.toString());
    }
}
