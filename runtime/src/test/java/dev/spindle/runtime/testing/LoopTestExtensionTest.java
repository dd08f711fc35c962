package dev.spindle.runtime.testing;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.moment;
import static dev.spindle.runtime.Coroutines.sleep;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.spindle.runtime.IOLoop;
import dev.spindle.runtime.sync.Event;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/** Runs the classes below in-process and checks how they pass and fail. */
class LoopTestExtensionTest {
    private static Events run(Class<?> cases) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter(OnlyInTestKit.PARAMETER, "true")
                .selectors(selectClass(cases))
                .execute()
                .testEvents();
    }

    /** The failure of the only test of {@code cases}. */
    private static Throwable failureOf(Class<?> cases) {
        Events events = run(cases);
        events.assertStatistics(s -> s.started(1).failed(1));
        org.junit.platform.testkit.engine.Event failed = events.failed().list().getFirst();
        return failed.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                .getThrowable().orElseThrow();
    }

    @OnlyInTestKit
    @LoopTest
    static class Passing {
        IOLoop fromBeforeEach;

        @BeforeEach
        void setUp(IOLoop loop) {
            fromBeforeEach = loop;
        }

        @Test
        void runsAsACoroutineOfTheInjectedLoop(IOLoop loop, Steps steps) {
            steps.expect(1);
            assertTrue(Thread.currentThread().isVirtual());
            assertSame(loop, IOLoop.current());
            assertSame(loop, fromBeforeEach);
            CompletableFuture<Void> child = spawn(() -> {
                steps.expect(3);
                return null;
            });
            steps.expect(2);
            dev.spindle.runtime.Coroutines.await(child);
            steps.finish(4);
        }

        @Test
        void getsAFreshLoopEachTime(IOLoop loop) {
            assertTrue(loop.isRunning());
            assertTrue(!loop.isClosed());
        }
    }

    @Test
    void aPassingTestPassesOnItsOwnLoop() {
        run(Passing.class).assertStatistics(s -> s.started(2).succeeded(2));
    }

    @OnlyInTestKit
    static class Leaking {
        @Test
        @LoopTest
        void leavesACoroutineBehind() {
            spawn(() -> {
                sleep(Duration.ofHours(1));
                return null;
            });
            moment();
        }
    }

    @Test
    void aTestThatLeaksACoroutineFailsWithTheDump() {
        String msg = failureOf(Leaking.class).getMessage();
        assertTrue(msg.contains("1 coroutine(s) still alive after the test"), msg);
        assertTrue(msg.contains("parked, awaiting sleep(PT1H)"), msg);
    }

    @OnlyInTestKit
    static class CancellingOnItsWayOut {
        @Test
        @LoopTest
        void cancelsAParkedCoroutineInItsLastLine() {
            java.util.concurrent.CompletableFuture<Object> parked = spawn(() -> {
                try {
                    return await(new java.util.concurrent.CompletableFuture<>());
                } finally {
                    moment(); // Its finally still has a loop iteration to go.
                }
            });
            moment();
            parked.cancel(true); // Woken, but not ended, when the test returns.
        }
    }

    @Test
    void aCoroutineCancelledInTheTestsLastLineIsNoLeak() {
        run(CancellingOnItsWayOut.class).assertStatistics(s -> s.started(1).succeeded(1));
    }

    @OnlyInTestKit
    static class TimingOut {
        @Test
        @LoopTest(timeout = 200, unit = TimeUnit.MILLISECONDS)
        void waitsForAnEventNobodySets() {
            Event.create().await();
        }
    }

    @Test
    void aTestThatTimesOutFailsWithTheDumpOfStuckCoroutines() {
        Throwable e = failureOf(TimingOut.class);
        String msg = e.getMessage();
        assertTrue(msg.contains("timed out after 200 ms"), msg);
        assertTrue(msg.contains("awaiting await() on Event[clear, waiters=1]"), msg);
        assertTrue(msg.contains("TimingOut.waitsForAnEventNobodySets("), msg);
    }

    @OnlyInTestKit
    @LoopTest
    static class TimingOutByProperty {
        @Test
        void waitsForever() {
            Event.create().await();
        }
    }

    @Test
    void theSystemPropertySetsTheDefaultTimeout() {
        System.setProperty(LoopTestExtension.TIMEOUT_PROPERTY, "150ms");
        try {
            String msg = failureOf(TimingOutByProperty.class).getMessage();
            assertTrue(msg.contains("timed out after 150 ms"), msg);
        } finally {
            System.clearProperty(LoopTestExtension.TIMEOUT_PROPERTY);
        }
    }

    @OnlyInTestKit
    @LoopTest(virtualTime = true)
    static class OnVirtualTime {
        @Test
        @LoopTest(timeout = 200, unit = TimeUnit.MILLISECONDS)
        void sleepsAVirtualDayWithinARealTimeout(IOLoop loop) {
            assertTrue(VirtualTime.isVirtual(loop), "the class asks for virtual time, the method for a timeout");
            sleep(Duration.ofDays(1));
            assertEquals(Duration.ofDays(1), VirtualTime.elapsed(loop));
        }

        @Test
        void aPlainLoopTestOfTheClassIsVirtualToo(IOLoop loop) {
            assertTrue(VirtualTime.isVirtual(loop));
        }
    }

    @Test
    void virtualTimeMakesADayOfSleepFitInAShortRealTimeout() {
        run(OnVirtualTime.class).assertStatistics(s -> s.started(2).succeeded(2));
    }

    @OnlyInTestKit
    static class TimingOutOnVirtualTime {
        @Test
        @LoopTest(virtualTime = true, timeout = 200, unit = TimeUnit.MILLISECONDS)
        void waitsForAnEventWhileVirtualTimersRunOn() {
            dev.spindle.runtime.PeriodicCallback.create(() -> { }, Duration.ofMinutes(1)).start();
            Event.create().await();
        }
    }

    @Test
    void aVirtualTimeTestTimesOutAfterRealTimeWithTheDump() {
        // Virtual minutes go by as fast as the loop can jump; the timeout is 200 ms of real time.
        String msg = failureOf(TimingOutOnVirtualTime.class).getMessage();
        assertTrue(msg.contains("timed out after 200 ms of real time"), msg);
        assertTrue(msg.contains("awaiting await() on Event[clear, waiters=1]"), msg);
    }

    @OnlyInTestKit
    static class TimingOutWithAFinallyThatSleeps {
        @Test
        @LoopTest(virtualTime = true, timeout = 200, unit = TimeUnit.MILLISECONDS)
        void sleepsInFinallyOnceCancelled() {
            try {
                Event.create().await();
            } finally {
                sleep(Duration.ofMinutes(1)); // A virtual minute: the loop must still move its clock.
            }
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30)
    void aTimedOutVirtualTestWhoseFinallySleepsEndsWithTheDump() {
        String msg = failureOf(TimingOutWithAFinallyThatSleeps.class).getMessage();
        assertTrue(msg.contains("timed out after 200 ms of real time"), msg);
    }

    @Test
    @LoopTest
    void aLoopTestsLoopIsRealUnlessItAsks(IOLoop loop) {
        assertFalse(VirtualTime.isVirtual(loop));
    }

    @OnlyInTestKit
    @LoopTest
    static class LeavingAFailureUnobserved {
        @Test
        void dropsAFailedCoroutine() {
            CompletableFuture<Object> f = spawn(() -> {
                throw new IllegalStateException("nobody looks at me");
            });
            while (!f.isDone()) {
                moment();
            }
        }
    }

    @Test
    void aTestThatLeavesAFailureUnobservedFails() {
        Throwable e = failureOf(LeavingAFailureUnobserved.class);
        assertTrue(e.getMessage().contains("a failure nobody observed"), e.getMessage());
        assertEquals("nobody looks at me", e.getSuppressed()[0].getMessage());
    }

    @OnlyInTestKit
    @LoopTest
    static class StepsOutOfOrder {
        @Test
        void swallowsTheStepFailureInACoroutine(Steps steps) {
            steps.expect(1);
            CompletableFuture<Void> child = spawn(() -> {
                steps.expect(2); // Too late: the test coroutine took step 2 first.
                return null;
            });
            steps.expect(2);
            child.exceptionally(x -> null); // Observed and ignored, so only Steps can tell.
            moment();
            steps.finish(4);
        }
    }

    @Test
    void stepsOutOfOrderFailTheTestEvenInsideAnotherCoroutine() {
        String msg = failureOf(StepsOutOfOrder.class).getMessage();
        assertTrue(msg.contains("Steps: step 2 came where step 3 was expected"), msg);
    }

    @Test
    void timeoutsParseAsDocumented() {
        assertEquals(Duration.ofSeconds(10), LoopTestExtension.parseTimeout("10"));
        assertEquals(Duration.ofMillis(1500), LoopTestExtension.parseTimeout("1.5s"));
        assertEquals(Duration.ofMillis(500), LoopTestExtension.parseTimeout("500ms"));
        assertEquals(Duration.ofMinutes(1), LoopTestExtension.parseTimeout("PT1M"));
    }
}
