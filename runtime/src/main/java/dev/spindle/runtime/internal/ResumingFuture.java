package dev.spindle.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A future Spindle makes itself (a stream's read or write, a timer, a waiter of a lock or queue,
 * a coroutine's result, a client's fetch), which resumes the one coroutine that awaits it
 * directly when it completes: {@code Coroutines.await} parks on it without the dependent stage
 * and completion node that {@code whenComplete} costs on a plain {@link CompletableFuture}.
 * Instead of a coroutine, Spindle's own code may leave one callback in the same slot
 * ({@link #whenDone}). Every other use of it is that of a plain {@code CompletableFuture}.
 *
 * <p><b>Thread-safe:</b> may be completed, awaited and chained from any thread.
 *
 * <p>Internal: exported only to {@code dev.spindle.http}, whose futures resume their waiter the
 * same way.
 */
/*
 * Implementation notes:
 *
 * One waiter slot: a parked thread, or a callback. await() claims it with a CAS (a second coroutine awaiting the same future
 * finds it taken and chains with whenComplete, as on a foreign future), then checks isDone()
 * before each park; a completion sets the result (a CAS, in CompletableFuture), then reads the
 * slot and unparks whoever is there. Both sides write and then read volatile state, so one of
 * them always sees the other: the waiter finds the future done, or the completer finds the
 * waiter (an unpark before the park only makes the park return at once). An unpark that comes
 * after its waiter stopped waiting (it was cancelled meanwhile) is spurious, which every park
 * loop tolerates.
 *
 * Every way to complete a CompletableFuture from outside comes through the methods overridden
 * here: complete, completeExceptionally and cancel (also as called by orTimeout and
 * completeOnTimeout), the two obtrude methods, and completeAsync, which is rerouted through
 * complete. Measured by jmh AwaitBenchmark (spindleAwaitRoundTrip against
 * spindleAwaitForeignFuture).
 */
public class ResumingFuture<T> extends CompletableFuture<T> {
    private static final VarHandle WAITER;

    static {
        try {
            WAITER = MethodHandles.lookup().findVarHandle(ResumingFuture.class, "waiter", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * The thread parked in await on this future (claimed and released by that thread), or the
     * callback to run once done (taken by whoever runs it), or null.
     */
    private volatile Object waiter;

    /** An incomplete future. */
    public ResumingFuture() {}

    /**
     * Makes {@code t} the waiter to resume on completion; false if another thread is the waiter
     * already (then chain a completion instead). Call only from {@code t}, before it parks.
     */
    public final boolean claimWaiter(Thread t) {
        return WAITER.compareAndSet(this, null, t);
    }

    /** Gives up the waiter slot {@code t} claimed; call from {@code t} once it no longer waits. */
    public final void releaseWaiter(Thread t) {
        if (waiter == t) {
            // Nobody else writes a claimed slot, and a completer that still sees t only unparks it
            // spuriously: no fence needed.
            WAITER.setRelease(this, null);
        }
    }

    /**
     * Leaves {@code callback} to run once this future is done, on the thread that completes it
     * (at once, on this thread, if it is done already); false if the slot is taken (then chain a
     * completion instead). For Spindle's own code: the callback must be quick and must not throw.
     */
    public final boolean whenDone(Runnable callback) {
        if (!WAITER.compareAndSet(this, null, callback)) {
            return false;
        }
        if (isDone()) {
            resume(); // It may have completed before the slot was set: run it here, once.
        }
        return true;
    }

    /** Resumes the waiter, if any; called once this future is done. */
    private void resume() {
        Object w = waiter;
        if (w instanceof Thread t) { // Before Runnable: a Thread is one.
            LockSupport.unpark(t);
        } else if (w instanceof Runnable callback && WAITER.compareAndSet(this, callback, null)) {
            callback.run();
        }
    }

    /**
     * Called when {@link #completeExceptionally} succeeded, before the waiter resumes: a hook for
     * subclasses that track failures.
     */
    protected void failed(Throwable ex) {
    }

    @Override
    public boolean complete(T value) {
        boolean done = super.complete(value);
        if (done) {
            resume();
        }
        return done;
    }

    @Override
    public boolean completeExceptionally(Throwable ex) {
        boolean done = super.completeExceptionally(ex);
        if (done) {
            failed(ex);
            resume();
        }
        return done;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            resume(); // At most one spurious unpark for a repeated cancel.
        }
        return cancelled;
    }

    @Override
    public void obtrudeValue(T value) {
        super.obtrudeValue(value);
        resume();
    }

    @Override
    public void obtrudeException(Throwable ex) {
        super.obtrudeException(ex);
        resume();
    }

    @Override
    public CompletableFuture<T> completeAsync(Supplier<? extends T> supplier, Executor executor) {
        if (supplier == null || executor == null) {
            throw new NullPointerException();
        }
        executor.execute(() -> {
            if (isDone()) {
                return;
            }
            try {
                complete(supplier.get());
            } catch (Throwable e) { // Wrapped as CompletableFuture's own completeAsync does.
                completeExceptionally(e instanceof CompletionException ? e : new CompletionException(e));
            }
        });
        return this;
    }
}
