package dev.spindle.runtime;

import dev.spindle.runtime.internal.ResumingFuture;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * unreachable or its loop closes, if the flag is still false then. The flag must outlive the
 * future, so it is an object of its own, but only a failed future needs one: `observation` is
 * null (not observed, not failed), SEEN (observed before any failure; a failure then is not
 * tracked) or the flag of a failure. A CAS moves it off null, so an observation racing with the
 * failure is either seen by the failure or lands in its flag. Dependent stages made by
 * chaining are plain CompletableFutures: chaining counts as observing, and what happens to the
 * dependent is the chainer's business.
 */
class TrackedFuture<T> extends ResumingFuture<T> {
    private static final VarHandle OBSERVATION;
    /** {@link #observation} of a future observed before any failure. */
    private static final Object SEEN = new Object();

    static {
        try {
            OBSERVATION = MethodHandles.lookup().findVarHandle(TrackedFuture.class, "observation", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Null, {@link #SEEN} or the {@link Observed} flag of a failure (see the implementation notes). Any thread. */
    private volatile Object observation;
    /** Where an unobserved failure goes; fixed at construction. */
    private final UnobservedFailures sink;
    /** What this future is, for the log record; fixed at construction. */
    private final String what;
    /** The loop it was made on, named in the log record, or null; fixed at construction. */
    private final IOLoop loop;

    /** A flag that outlives the future, so a Cleaner can read it after the future is gone. */
    static final class Observed {
        volatile boolean value;
    }

    TrackedFuture(UnobservedFailures sink, String what, IOLoop loop) {
        this.sink = sink;
        this.what = what;
        this.loop = loop;
    }

    /** A tracked future reporting to the current loop, or to the process-wide sink off any loop. */
    static <T> TrackedFuture<T> create(String what) {
        IOLoop loop = IOLoop.currentOrNull();
        return new TrackedFuture<>(loop != null ? loop.failures : UnobservedFailures.global(), what, loop);
    }

    /** What this future is, e.g. {@code withTimeout() on IOLoop-1}; for log records. Made when asked for. */
    String label() {
        return loop == null ? what : what + " on " + loop.name();
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
    protected void failed(Throwable ex) {
        if (ex instanceof CancellationException) {
            return;
        }
        Observed flag = new Observed();
        if (OBSERVATION.compareAndSet(this, null, flag)) { // Else observed already.
            sink.track(this, ex, flag);
        }
    }

    /** Counts as an observation of the outcome. */
    private void observe() {
        Object o = observation;
        if (o == null) {
            if (isDone() && !super.isCompletedExceptionally()) {
                return; // A success is never tracked, so there is nothing to record (and no CAS to pay per await).
            } else if (OBSERVATION.compareAndSet(this, null, SEEN)) {
                return;
            }
            o = observation; // A failure got there first: its flag.
        }
        if (o instanceof Observed flag) {
            flag.value = true;
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        observe();
        return new CompletableFuture<>();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        observe();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        observe();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        observe();
        return super.join();
    }

    @Override
    public T getNow(T valueIfAbsent) {
        observe();
        return super.getNow(valueIfAbsent);
    }

    @Override
    public T resultNow() {
        observe();
        return super.resultNow();
    }

    @Override
    public Throwable exceptionNow() {
        observe();
        return super.exceptionNow();
    }

    @Override
    public boolean isCompletedExceptionally() {
        observe();
        return super.isCompletedExceptionally();
    }

    @Override
    public State state() {
        State s = super.state();
        if (s == State.FAILED) {
            observe();
        }
        return s;
    }
}
