package dev.spindle.runtime.internal;

import static dev.spindle.runtime.Coroutines.await;
import static dev.spindle.runtime.Coroutines.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spindle.runtime.testing.LoopTest;
import dev.spindle.runtime.testing.Steps;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@LoopTest
class ResumingFutureTest {
    /** Every way to complete a CompletableFuture from outside, and what await then gives. */
    enum Completion {
        COMPLETE(f -> f.complete("done"), "done"),
        COMPLETE_EXCEPTIONALLY(f -> f.completeExceptionally(new IllegalStateException("failed")), null),
        CANCEL(f -> f.cancel(false), null),
        OBTRUDE_VALUE(f -> f.obtrudeValue("obtruded"), "obtruded"),
        OBTRUDE_EXCEPTION(f -> f.obtrudeException(new IllegalStateException("obtruded")), null),
        COMPLETE_ASYNC(f -> f.completeAsync(() -> "async", Runnable::run), "async"),
        COMPLETE_ON_TIMEOUT(f -> f.completeOnTimeout("late", 1, TimeUnit.MILLISECONDS), "late"),
        OR_TIMEOUT(f -> f.orTimeout(1, TimeUnit.MILLISECONDS), null);

        final Consumer<ResumingFuture<String>> action;
        /** The value await returns, or null if it throws. */
        final String value;

        Completion(Consumer<ResumingFuture<String>> action, String value) {
            this.action = action;
            this.value = value;
        }
    }

    /*
     * The coroutine parks first: the completing coroutine can only run once the loop's one
     * carrier is free. So every completion below finds the waiter parked, from the loop or from
     * the JDK's timer thread (the timeouts), and must resume it.
     */
    @ParameterizedTest
    @EnumSource(Completion.class)
    void everyWayToCompleteResumesTheParkedWaiter(Completion how) {
        ResumingFuture<String> f = new ResumingFuture<>();
        spawn(() -> {
            how.action.accept(f);
            return null;
        });
        if (how.value != null) {
            assertEquals(how.value, await(f));
        } else {
            Throwable e = assertThrows(Throwable.class, () -> await(f));
            assertTrue(e instanceof IllegalStateException || e instanceof CancellationException
                    || e instanceof TimeoutException, e.toString());
        }
        assertTrue(f.claimWaiter(Thread.currentThread()), "the waiter gave up its slot once resumed");
    }

    @Test
    void orTimeoutFailsTheWaiterWithTheJdksTimeoutException() {
        ResumingFuture<String> f = new ResumingFuture<>();
        f.orTimeout(1, TimeUnit.MILLISECONDS);
        assertThrows(TimeoutException.class, () -> await(f, TimeoutException.class));
    }

    @Test
    void aCompletionFromAnotherThreadResumesTheWaiter() throws Exception {
        ResumingFuture<String> f = new ResumingFuture<>();
        Thread me = Thread.currentThread();
        Thread other = Thread.ofPlatform().start(() -> {
            while (LockSupport.getBlocker(me) != f) {
                Thread.onSpinWait(); // Until the coroutine parks in await: the completion must find it there.
            }
            f.complete("from another thread");
        });
        assertEquals("from another thread", await(f));
        other.join();
    }

    @Test
    void twoCoroutinesAwaitingOneFutureAreBothResumed(Steps steps) {
        ResumingFuture<String> f = new ResumingFuture<>();
        CompletableFuture<String> first = spawn(() -> {
            steps.expect(1);
            return await(f);
        });
        CompletableFuture<String> second = spawn(() -> {
            steps.expect(2);
            return await(f); // The slot is the first's: this one chains a completion.
        });
        await(spawn(() -> {
            steps.expect(3);
            return f.complete("both");
        }));
        assertEquals("both", await(first));
        assertEquals("both", await(second));
        steps.finish(4);
    }

    @Test
    void aCancelledWaiterGivesUpTheSlotForTheNextOne(Steps steps) {
        ResumingFuture<String> f = new ResumingFuture<>();
        CompletableFuture<String> cancelled = spawn(() -> {
            steps.expect(1);
            return await(f);
        });
        await(spawn(() -> {
            steps.expect(2);
            return cancelled.cancel(true);
        }));
        assertThrows(CancellationException.class, () -> await(cancelled));
        steps.expect(3);
        spawn(() -> {
            steps.expect(4);
            return f.complete("second waiter");
        });
        assertEquals("second waiter", await(f), "this coroutine claimed the slot the cancelled one had released");
        steps.finish(5);
    }

    @Test
    void theSlotHoldsOneWaiterAtATimeAndOnlyItsOwnerReleasesIt() {
        ResumingFuture<String> f = new ResumingFuture<>();
        Thread me = Thread.currentThread();
        Thread other = Thread.ofPlatform().unstarted(() -> { });
        assertTrue(f.claimWaiter(me));
        assertFalse(f.claimWaiter(other));
        f.releaseWaiter(other);
        assertFalse(f.claimWaiter(other), "a thread that does not hold the slot cannot release it");
        f.releaseWaiter(me);
        assertTrue(f.claimWaiter(other));
    }

    @Test
    void completeAsyncFailsAsCompletableFuturesOwnDoes() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<String> plain = new CompletableFuture<String>().completeAsync(() -> {
            throw boom;
        }, Runnable::run);
        ResumingFuture<String> ours = new ResumingFuture<>();
        assertSame(ours, ours.completeAsync(() -> {
            throw boom;
        }, Runnable::run));
        assertSame(boom, plain.exceptionNow());
        assertSame(boom, ours.exceptionNow());
        Throwable[] seen = new Throwable[2];
        plain.whenComplete((v, e) -> seen[0] = e);
        ours.whenComplete((v, e) -> seen[1] = e);
        assertInstanceOf(CompletionException.class, seen[0]);
        assertInstanceOf(CompletionException.class, seen[1]);
        assertThrows(NullPointerException.class, () -> ours.completeAsync(null, Runnable::run));
    }

    @Test
    void completeAsyncDoesNotOverwriteAnEarlierOutcome() {
        ResumingFuture<String> f = new ResumingFuture<>();
        f.complete("first");
        f.completeAsync(() -> "second", Runnable::run);
        assertEquals("first", f.join());
    }
}
