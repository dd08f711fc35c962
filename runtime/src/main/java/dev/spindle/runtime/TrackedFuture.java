package dev.spindle.runtime;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future Spindle creates (a coroutine's, or the result of {@code withTimeout}, {@code all},
 * {@code any}, {@code runInExecutor}) whose failure is logged if nobody observes it (DESIGN rule 5).
 *
 * <p><b>Thread-safe:</b> may be called from any thread, like any {@link CompletableFuture}.
 */
/*
 * Implementation notes:
 *
 * Observing means reading or chaining the outcome. Every CompletableFuture chaining method
 * (thenApply, whenComplete, exceptionally, ...) goes through newIncompleteFuture, and the reading
 * methods are overridden below, so one flag catches them all. isDone(), isCancelled() and
 * toString() do not count: dumps and polls must not hide a failure.
 *
 * A failure is handed to the UnobservedFailures of the loop the future was made on (or the
 * process-wide one) when completeExceptionally succeeds; it is logged when the future becomes
 * unreachable or its loop closes, if the flag is still false then. Dependent stages made by
 * chaining are plain CompletableFutures: chaining counts as observing, and what happens to the
 * dependent is the chainer's business.
 */
class TrackedFuture<T> extends CompletableFuture<T> {
    /** Whether anyone read or chained the outcome; outlives this future for the Cleaner. */
    final Observed observed = new Observed();
    /** Where an unobserved failure goes; fixed at construction. */
    private final UnobservedFailures sink;
    /** What this future is, for the log record; fixed at construction. */
    private final String label;

    /** A flag that outlives the future, so a Cleaner can read it after the future is gone. */
    static final class Observed {
        volatile boolean value;
    }

    TrackedFuture(UnobservedFailures sink, String label) {
        this.sink = sink;
        this.label = label;
    }

    /** A tracked future reporting to the current loop, or to the process-wide sink off any loop. */
    static <T> TrackedFuture<T> create(String label) {
        IOLoop loop = IOLoop.currentOrNull();
        UnobservedFailures sink = loop != null ? loop.failures : UnobservedFailures.global();
        return new TrackedFuture<>(sink, loop != null ? label + " on " + loop.name() : label);
    }

    /** What this future is, e.g. {@code coroutine IOLoop-1-coroutine-3}; for log records. */
    String label() {
        return label;
    }

    /** {@link #state()} without counting as an observation; for toString and dumps. */
    final State peekState() {
        return super.state();
    }

    /** The failure of a failed future without counting as an observation. */
    final Throwable peekFailure() {
        return super.exceptionNow();
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        if (done && !(ex instanceof CancellationException)) {
            sink.track(this, ex);
        }
        return done;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        observed.value = true;
        return new CompletableFuture<>();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        observed.value = true;
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        observed.value = true;
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        observed.value = true;
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        observed.value = true;
        return super.getNow(valueIfAbsent);
    }

    @Override
    public T resultNow() {
        observed.value = true;
        return super.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        observed.value = true;
        return super.exceptionNow();
    }

    @Override
    public boolean isCompletedExceptionally() {
        observed.value = true;
        return super.isCompletedExceptionally();
    }

    @Override
    public State state() {
        State s = super.state();
        if (s == State.FAILED) {
            observed.value = true;
        }
        return s;
    }
}
