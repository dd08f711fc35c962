package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class LoopGroupTest {
    @Test
    void aGroupHasItsLoopsAndHandsThemOutRoundRobin() {
        try (LoopGroup group = LoopGroup.create(3)) {
            assertEquals(3, group.size());
            List<IOLoop> loops = group.loops();
            assertEquals(3, new HashSet<>(loops).size());
            List<IOLoop> handedOut = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                handedOut.add(group.next());
            }
            assertEquals(List.of(loops.get(0), loops.get(1), loops.get(2), loops.get(0), loops.get(1), loops.get(2)),
                    handedOut);
            assertThrows(UnsupportedOperationException.class, loops::clear);
        }
        assertEquals(Runtime.getRuntime().availableProcessors(), withDefaultSize());
    }

    private static int withDefaultSize() {
        try (LoopGroup group = LoopGroup.create()) {
            return group.size();
        }
    }

    @Test
    void createRefusesAGroupWithoutLoops() {
        assertEquals("a group needs at least one loop: 0",
                assertThrows(IllegalArgumentException.class, () -> LoopGroup.create(0)).getMessage());
    }

    @Test
    void eachLoopRunsOnAThreadOfItsOwnNamedForTheGroup() throws Exception {
        try (LoopGroup group = LoopGroup.create(2)) {
            group.start();
            Set<String> carriers = new HashSet<>();
            for (IOLoop loop : group.loops()) {
                CompletableFuture<String> carrier = new CompletableFuture<>();
                loop.execute(() -> carrier.complete(Thread.currentThread().getName()));
                carriers.add(carrier.get(10, TimeUnit.SECONDS));
            }
            assertEquals(Set.of(group.name() + "-loop-0", group.name() + "-loop-1"), carriers);
            assertTrue(group.isRunning());
            assertThrows(IllegalStateException.class, group::start);
            assertTrue(group.toString().matches("LoopGroup\\[spindle-group-\\d+, 2 loops, running]"), group.toString());
            group.stop();
            assertFalse(group.isRunning());
            assertTrue(assertThrows(IllegalStateException.class, group::start).getMessage()
                    .contains("was stopped: a loop runs on one thread for its whole life"));
        }
    }

    @Test
    void aCoroutineAwaitingAFutureAnotherLoopCompletesResumesOnItsOwnLoop() {
        try (LoopGroup group = LoopGroup.create(2)) {
            IOLoop a = group.loops().get(0);
            IOLoop b = group.loops().get(1);
            group.start();
            List<Object> seen = await(a.spawn(() -> {
                Thread carrierBefore = VirtualThreads.currentCarrier();
                CompletableFuture<String> fromB = b.spawn(() -> {
                    Coroutines.sleep(java.time.Duration.ofMillis(1));
                    return IOLoop.current().name();
                });
                String completedOn = await(fromB);
                return List.of(completedOn, IOLoop.current(), VirtualThreads.currentCarrier() == carrierBefore);
            }));
            assertEquals(b.name(), seen.get(0));
            assertSame(a, seen.get(1));
            assertEquals(true, seen.get(2));
            assertNotSame(a, b);
        }
    }

    @Test
    void closeCancelsTheCoroutinesParkedOnEveryLoopAndRunsTheirFinallyBlocks() throws Exception {
        LoopGroup group = LoopGroup.create(2);
        group.start();
        CountDownLatch parked = new CountDownLatch(4);
        CountDownLatch finallyRan = new CountDownLatch(4);
        List<String> finallyOn = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 4; i++) {
            group.next().spawn(() -> {
                try {
                    parked.countDown();
                    return await(new CompletableFuture<>()); // Never completed.
                } finally {
                    finallyOn.add(Thread.currentThread().getName().replaceAll("-coroutine-\\d+$", ""));
                    finallyRan.countDown();
                }
            });
        }
        assertTrue(parked.await(10, TimeUnit.SECONDS));
        group.close();
        assertTrue(finallyRan.await(10, TimeUnit.SECONDS));
        assertEquals(Set.of(group.loops().get(0).name(), group.loops().get(1).name()), new HashSet<>(finallyOn));
        assertTrue(group.loops().stream().allMatch(IOLoop::isClosed));
        assertFalse(group.isRunning());
        group.close(); // Idempotent.
        assertThrows(IllegalStateException.class, group::start);
        assertTrue(group.toString().endsWith(", closed]"), group.toString());
    }

    @Test
    void runSyncStartsTheGroupRunsACoroutineOnItAndRethrowsItsFailure() {
        try (LoopGroup group = LoopGroup.create(2)) {
            String name = group.runSync(() -> IOLoop.current().name());
            assertTrue(group.loops().stream().anyMatch(l -> l.name().equals(name)), name);
            assertTrue(group.isRunning());
            assertEquals(42, group.runSync(() -> 42));
            IllegalStateException boom = new IllegalStateException("boom");
            assertSame(boom, assertThrows(IllegalStateException.class, () -> group.runSync(() -> {
                throw boom;
            })));
            group.stop();
            assertThrows(IllegalStateException.class, () -> group.runSync(() -> 1));
        }
    }

    @Test
    void stopAndCloseFromALoopOfTheGroupAreRefused() {
        try (LoopGroup group = LoopGroup.create(1)) {
            group.start();
            IllegalStateException e = await(group.next().spawn(
                    () -> assertThrows(IllegalStateException.class, group::stop)));
            assertTrue(e.getMessage().contains("call it from a thread outside the group"), e.getMessage());
            assertTrue(group.isRunning());
        }
    }
}
