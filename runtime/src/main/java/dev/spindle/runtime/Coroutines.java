package dev.spindle.runtime;

import dev.spindle.runtime.internal.Durations;
import dev.spindle.runtime.internal.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The coroutine vocabulary: {@code await}, {@code spawn}, {@code sleep}, timeouts and
 * combinators (Tornado: {@code await}, {@code IOLoop.spawn_callback}, {@code gen.sleep},
 * {@code gen.with_timeout}, {@code gen.multi}). Import it statically:
 *
 * {@snippet :
 * import static dev.spindle.runtime.Coroutines.*;
 *
 * String body = loop.runSync(() -> {
 *     CompletableFuture<String> f = spawn(() -> fetchTitle(url));
 *     sleep(Duration.ofMillis(10));
 *     return await(f);
 * });
 * }
 *
 * <p><b>Thread-safe:</b> may be called from any thread; each method says what it does outside
 * a coroutine. Methods that need "the current loop" use {@link IOLoop#current()}.
 *
 * <p><b>Failures keep their identity.</b> {@code await} throws the very exception object the
 * future failed with, never a {@link CompletionException} or {@link ExecutionException}
 * wrapper; a checked exception is thrown unchanged too. Java only lets a {@code catch} clause
 * name a checked exception that the {@code try} block declares, so to catch one by type, say
 * which with {@link #await(CompletionStage, Class)}:
 *
 * {@snippet :
 * try {
 *     String text = await(readConfig(), IOException.class);
 * } catch (IOException e) {       // the exception object the future failed with
 *     ...
 * }
 * }
 */
public final class Coroutines {
    private Coroutines() {}

    /**
     * Waits for {@code stage} and returns its value, or throws the exception it failed with.
     *
     * <ul>
     * <li>In a coroutine: returns at once if the future is done (without yielding to other
     *     coroutines); otherwise parks the coroutine, freeing the carrier for the rest of the
     *     loop, until the future completes, from any thread; then resumes on the loop.
     * <li>On a thread outside any loop ({@code main}, a test, a worker): blocks that thread.
     * <li>In a plain callback of a loop: throws {@link IllegalStateException}, because waiting
     *     there would stop the very loop that must complete the future.
     * </ul>
     *
     * <p><b>Cancellation:</b> if the coroutine is cancelled (or interrupted) while parked here,
     * throws {@link CancellationException} and clears the interrupt; later awaits (say, in
     * {@code finally}) work normally. A cancelled future makes this throw the
     * {@code CancellationException} it was cancelled with.
     *
     * @throws CancellationException if the future was cancelled or the waiting coroutine was
     * @throws IllegalStateException if called in a plain loop callback
     * @throws NullPointerException if {@code stage} is null
     */
    public static <T> T await(CompletionStage<T> stage) {
        CompletableFuture<T> f = toFuture(Objects.requireNonNull(stage, "stage"));
        if (!f.isDone()) {
            // No helper frame between here and park: every frame stays on a parked coroutine's stack.
            Coroutine<?> self = Coroutine.CURRENT.get();
            if (self != null) {
                park(self, f, stage);
            } else {
                block(f, stage);
            }
        }
        return outcome(f);
    }

    /**
     * {@link #await(CompletionStage)}, declaring that it may throw the checked exception
     * {@code checked}, so that a {@code catch (X e)} clause compiles and catches the original
     * exception object. Any other failure is thrown unchanged as well.
     *
     * @throws X the checked exception the future failed with
     */
    public static <T, X extends Exception> T await(CompletionStage<T> stage, Class<X> checked) throws X {
        Objects.requireNonNull(checked, "checked");
        return await(stage);
    }

    /**
     * Starts {@code body} as a coroutine on the current loop and returns its future at once
     * (Tornado: {@code IOLoop.current().spawn_callback}, or calling a native coroutine).
     *
     * @throws IllegalStateException outside any loop (use {@link IOLoop#spawn})
     */
    public static <T> CompletableFuture<T> spawn(Callable<T> body) {
        return IOLoop.current().spawn(body);
    }

    /**
     * Runs {@code body} in the calling coroutine with a {@link CoroutineScope} whose children it
     * may spawn, and returns once every child has ended (structured concurrency; kotlinx:
     * {@code coroutineScope}). If a child or the body fails, the other children and the body are
     * cancelled, their {@code finally} blocks run, and the first failure is thrown with the others
     * suppressed. Cancelling the calling coroutine cancels the children.
     *
     * <p><b>Suspension:</b> parks the calling coroutine until the children have ended.
     *
     * @return the body's value
     * @throws CancellationException if the calling coroutine was cancelled
     * @throws IllegalStateException outside a coroutine
     */
    public static <T> T scope(CoroutineScope.Body<T> body) {
        return CoroutineScope.run(null, body);
    }

    /**
     * {@link #scope(CoroutineScope.Body)} with a deadline: when {@code timeout} passes first, the
     * children and the body are cancelled and, once they have ended, this throws
     * {@link TimeoutException} (unless a child failed first: then its failure).
     *
     * @throws IllegalArgumentException if {@code timeout} is not positive
     */
    public static <T> T scope(Duration timeout, CoroutineScope.Body<T> body) {
        Durations.requirePositive(timeout, "timeout");
        return CoroutineScope.run(timeout, body);
    }

    /**
     * Suspends the calling coroutine for {@code duration} on a loop timer; no thread is blocked
     * (Tornado: {@code gen.sleep}). Outside any loop, sleeps the calling thread.
     *
     * @throws CancellationException if the coroutine is cancelled meanwhile
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws IllegalStateException if called in a plain loop callback (use {@code callLater})
     */
    public static void sleep(Duration duration) {
        Durations.requireNonNegative(duration, "duration");
        Coroutine<?> self = Coroutine.CURRENT.get();
        if (self == null) {
            checkNotInCallback("sleep", "use loop.callLater(...)");
            try {
                TimeUnit.NANOSECONDS.sleep(Durations.toNanos(duration));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("sleep interrupted");
            }
            return;
        }
        CompletableFuture<Void> f = new CompletableFuture<>() {
            @Override
            public String toString() { // What a coroutine dump shows it awaits.
                return "sleep(" + duration + ")";
            }
        };
        TimerHandle timer = self.loop.callLater(duration, () -> f.complete(null));
        try {
            await(f);
        } finally {
            timer.cancel();
        }
    }

    /**
     * A future that completes after {@code duration} on the current loop's timers: the
     * awaitable form of {@link #sleep}.
     *
     * @throws IllegalStateException outside any loop
     */
    public static CompletableFuture<Void> delay(Duration duration) {
        Durations.requireNonNegative(duration, "duration");
        CompletableFuture<Void> f = TrackedFuture.create("delay()");
        IOLoop.current().callLater(duration, () -> f.complete(null));
        return f;
    }

    /**
     * Lets every other ready callback and coroutine of the loop run, and the loop poll its
     * channels once, then resumes (Tornado: {@code gen.moment}). Outside a loop, yields the thread.
     *
     * @throws IllegalStateException if called in a plain loop callback
     */
    public static void moment() {
        Coroutine<?> self = Coroutine.CURRENT.get();
        if (self == null) {
            checkNotInCallback("moment", "return from the callback instead");
        } else if (self.loop.inLoop()) {
            self.loop.selector.requestPoll(); // a full iteration: ready I/O gets handled before we resume
        }
        Thread.yield();
    }

    /**
     * A future with {@code stage}'s outcome, or failed with {@link TimeoutException} if
     * {@code stage} is not done within {@code timeout} (Tornado: {@code gen.with_timeout}).
     * {@code stage} itself keeps running; if it fails after the timeout, its failure is logged
     * ({@code spindle.application}) unless it was a cancellation. The timer is the current
     * loop's; outside a loop, a JDK delayed executor.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <T> CompletableFuture<T> withTimeout(CompletionStage<T> stage, Duration timeout) {
        Objects.requireNonNull(stage, "stage");
        Durations.requireNonNegative(timeout, "timeout");
        CompletableFuture<T> result = TrackedFuture.create("withTimeout()");
        Runnable expire = () -> result.completeExceptionally(
                new TimeoutException("timed out after " + timeout + " waiting for " + stage));
        IOLoop loop = IOLoop.currentOrNull();
        TimerHandle timer = null;
        if (loop != null) {
            timer = loop.callLater(timeout, expire);
        } else {
            CompletableFuture.delayedExecutor(Durations.toNanos(timeout), TimeUnit.NANOSECONDS).execute(expire);
        }
        TimerHandle t = timer;
        stage.whenComplete((value, error) -> {
            if (t != null) {
                t.cancel();
            }
            if (error == null) {
                result.complete(value);
            } else {
                Throwable cause = unwrap(error);
                if (!result.completeExceptionally(cause) && !(cause instanceof CancellationException)) {
                    Log.APPLICATION.log(System.Logger.Level.WARNING,
                            "Future failed after it had timed out in withTimeout", cause);
                }
            }
        });
        return result;
    }

    /**
     * A future of every input's value, in input order, completed when all inputs are done
     * (Tornado: {@code gen.multi}). If any failed, it fails with the first failure in input
     * order once all are done, and the other failures are logged ({@code spindle.application}).
     * Cancelling it does not cancel the inputs. To cancel the others when one fails, and to wait
     * until they have ended, spawn them in a {@link #scope(CoroutineScope.Body) scope}.
     */
    @SafeVarargs
    public static <T> CompletableFuture<List<T>> all(CompletionStage<? extends T>... stages) {
        return all(Arrays.asList(Objects.requireNonNull(stages, "stages")));
    }

    /** {@link #all(CompletionStage[])} over a list. */
    public static <T> CompletableFuture<List<T>> all(List<? extends CompletionStage<? extends T>> stages) {
        Objects.requireNonNull(stages, "stages");
        List<CompletableFuture<? extends T>> fs = new ArrayList<>(stages.size());
        for (CompletionStage<? extends T> s : stages) {
            fs.add(toFuture(Objects.requireNonNull(s, "stage in all()")));
        }
        CompletableFuture<List<T>> result = TrackedFuture.create("all()");
        if (fs.isEmpty()) {
            result.complete(List.of());
            return result;
        }
        AtomicInteger remaining = new AtomicInteger(fs.size());
        for (CompletableFuture<? extends T> f : fs) {
            f.whenComplete((v, e) -> {
                if (remaining.decrementAndGet() == 0) {
                    finishAll(fs, result);
                }
            });
        }
        return result;
    }

    private static <T> void finishAll(List<CompletableFuture<? extends T>> fs, CompletableFuture<List<T>> result) {
        List<T> values = new ArrayList<>(fs.size());
        Throwable first = null;
        for (CompletableFuture<? extends T> f : fs) {
            if (!f.isCompletedExceptionally()) {
                values.add(f.join());
                continue;
            }
            Throwable e = failureOf(f);
            if (first == null) {
                first = e;
            } else {
                Log.APPLICATION.log(System.Logger.Level.ERROR, "Multiple exceptions in all(); also failed:", e);
            }
        }
        if (first != null) {
            result.completeExceptionally(first);
        } else {
            result.complete(Collections.unmodifiableList(values));
        }
    }

    /**
     * A future with the outcome of whichever input completes first, value or failure. The
     * others keep running; a failure of one of them after that, other than a cancellation, is
     * logged ({@code spindle.application}) so that it is never lost. To cancel the losers, spawn
     * them in a {@link #scope(CoroutineScope.Body) scope} and {@link CoroutineScope#cancel()} it
     * once the first result is in.
     *
     * @throws IllegalArgumentException if there are no inputs (the result would never complete)
     */
    @SafeVarargs
    public static <T> CompletableFuture<T> any(CompletionStage<? extends T>... stages) {
        return any(Arrays.asList(Objects.requireNonNull(stages, "stages")));
    }

    /** {@link #any(CompletionStage[])} over a list. */
    public static <T> CompletableFuture<T> any(List<? extends CompletionStage<? extends T>> stages) {
        Objects.requireNonNull(stages, "stages");
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("any() of no futures would never complete");
        }
        CompletableFuture<T> result = TrackedFuture.create("any()");
        for (CompletionStage<? extends T> s : stages) {
            Objects.requireNonNull(s, "stage in any()").whenComplete((v, e) -> {
                if (e == null) {
                    result.complete(v);
                    return;
                }
                Throwable cause = unwrap(e);
                if (!result.completeExceptionally(cause) && !(cause instanceof CancellationException)) {
                    // any() observed it, and nobody else may: never drop a failure silently.
                    Log.APPLICATION.log(System.Logger.Level.WARNING,
                            "Future failed after any() had completed with another input's outcome", cause);
                }
            });
        }
        return result;
    }

    /**
     * Runs {@code task} off the loop on {@code executor} (null: a shared platform-thread pool)
     * and returns a future completed on the current loop (Tornado: {@code run_in_executor}).
     * See {@link IOLoop#runInExecutor}.
     *
     * @throws IllegalStateException outside any loop
     */
    public static <T> CompletableFuture<T> runInExecutor(Executor executor, Callable<T> task) {
        return IOLoop.current().runInExecutor(executor, task);
    }

    // ---------------------------------------------------------------- internals

    @SuppressWarnings("unchecked")
    private static <T> CompletableFuture<T> toFuture(CompletionStage<T> stage) {
        if (stage instanceof CompletableFuture<T> f) {
            return f;
        }
        try {
            return stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            CompletableFuture<T> f = new CompletableFuture<>();
            stage.whenComplete((v, x) -> {
                if (x == null) {
                    f.complete(v);
                } else {
                    f.completeExceptionally(unwrap(x));
                }
            });
            return f;
        }
    }

    private static void block(CompletableFuture<?> f, Object what) {
        checkNotInCallback("await", "spawn a coroutine and await in it");
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while awaiting " + what);
        } catch (ExecutionException | CancellationException e) {
            // Reported by outcome() with the original exception object.
        }
    }

    private static void park(Coroutine<?> self, CompletableFuture<?> f, Object what) {
        self.awaiting = what;
        f.whenComplete(self.unparker);
        try {
            while (!f.isDone()) {
                LockSupport.park(f);
                if (Thread.interrupted()) {
                    if (f.isDone()) {
                        Thread.currentThread().interrupt(); // Keep it for the next pending await.
                        break;
                    }
                    throw new CancellationException(self.isCancelled()
                            ? "coroutine " + self.name() + " was cancelled while awaiting " + what
                            : "coroutine " + self.name() + " was interrupted while awaiting " + what);
                }
            }
        } finally {
            self.awaiting = null;
        }
    }

    private static void checkNotInCallback(String what, String fix) {
        IOLoop loop = LoopLifecycle.CURRENT.get();
        if (loop != null && !Thread.currentThread().isVirtual()) {
            throw new IllegalStateException(what + "() called from a plain callback of " + loop.name()
                    + ", which would block the loop; " + fix);
        }
    }

    /** The outcome of a done future: its value, or its failure thrown unchanged. */
    static <T> T outcome(CompletableFuture<T> f) {
        if (!f.isCompletedExceptionally()) {
            return f.join();
        }
        if (f.isCancelled()) {
            return f.join(); // Throws the CancellationException it was cancelled with.
        }
        throw Coroutines.<RuntimeException>sneakyThrow(failureOf(f));
    }

    private static Throwable failureOf(CompletableFuture<?> f) {
        try {
            return f.exceptionNow();
        } catch (IllegalStateException cancelled) {
            try {
                f.join();
            } catch (CancellationException e) {
                return e;
            }
            throw cancelled;
        }
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }
}
