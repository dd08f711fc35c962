package dev.spindle.runtime;

import static dev.spindle.runtime.Coroutines.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * A scope of child coroutines that do not outlive it (structured concurrency: kotlinx's
 * {@code coroutineScope}, the JDK's {@code StructuredTaskScope}, on the loop). The children
 * spawned in a scope are awaited before the scope returns; when one fails, the others and the
 * scope's own body are cancelled (their {@code finally} blocks run) and the scope throws the first
 * failure, the others added as suppressed; cancelling the coroutine that runs the scope cancels
 * the children; a scope may have a deadline.
 *
 * {@snippet :
 * String page = Coroutines.scope(scope -> {
 *     CompletableFuture<String> header = scope.spawn(() -> fetch("/header"));
 *     CompletableFuture<String> body = scope.spawn(() -> fetch("/body"));
 *     return await(header) + await(body);      // if one fails, the other is cancelled
 * });
 * }
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@link IOLoop}:
 * the loop of the coroutine that opened the scope, where its children run too.
 *
 * <p>How it differs from {@link Coroutines#all} and {@link Coroutines#any}: those combine
 * futures, whatever runs them, and cancel nothing (Tornado's {@code multi}): {@code all} waits for
 * every input even after one failed, {@code any} leaves the losers running. A scope owns its
 * children: on a failure it cancels them at once, and it waits until they have ended before it
 * returns or throws, so nothing it started is left behind.
 *
 * <p><b>Suspension:</b> the scope parks the calling coroutine until every child has ended.
 * Children end in any order; a failure is the first child (or the body) to throw something other
 * than {@link CancellationException}; what children throw while they are being cancelled is
 * added to it as suppressed. A child cancelled on its own (its future's {@code cancel}) is not
 * a failure; a child cancelled before it started never runs.
 *
 * @since 0.2
 */
/*
 * Implementation notes: a child's body runs in a wrapper that marks the child started and, in
 * `finally`, ended. A child cancelled before it started never runs its wrapper (the coroutine
 * returns at once), so it counts as ended when its future completes unstarted. Bookkeeping runs
 * on the loop: a child's future may be cancelled from any thread, and its callbacks hand over
 * with runOnLoop. When a child fails while the body runs, the body's coroutine is interrupted:
 * its pending await throws CancellationException, which the scope then reports as the child's
 * failure, not as a cancellation.
 */
public final class CoroutineScope {
    /** The body of a scope: spawns children into {@code scope} and returns the scope's value. */
    @FunctionalInterface
    public interface Body<T> {
        /**
         * Runs in the coroutine that opened the scope.
         *
         * @throws Exception anything: it fails the scope as a child's failure would
         */
        T run(CoroutineScope scope) throws Exception;
    }

    /** One child: its future and whether its body started and ended. Loop-confined. */
    private static final class Child {
        final CompletableFuture<Void> ended = new CompletableFuture<>();
        CompletableFuture<?> future;
        boolean started;
    }

    private final IOLoop loop;
    private final Coroutine<?> owner;
    /** Children in spawn order. Loop-confined. */
    private final List<Child> children = new ArrayList<>();
    /** The first failure, or null; later ones are added to it as suppressed. Loop-confined. */
    private Throwable failure;
    /** Whether the body returned or threw: it must not be interrupted any more. Loop-confined. */
    private boolean bodyDone;
    /** Whether the scope cancelled its children (a failure, the deadline, cancel()). Loop-confined. */
    private boolean cancelled;
    /** Whether the scope interrupted the body's coroutine. Loop-confined. */
    private boolean interruptedBody;
    /** Whether the deadline passed. Loop-confined. */
    private boolean timedOut;
    /** Whether the scope has returned: spawning is over. Loop-confined. */
    private boolean over;

    private CoroutineScope(Coroutine<?> owner) {
        this.loop = owner.loop;
        this.owner = owner;
    }

    /** Runs a scope in the calling coroutine; see {@link Coroutines#scope(Duration, Body)}. */
    static <T> T run(Duration timeout, Body<T> body) {
        Objects.requireNonNull(body, "body");
        Coroutine<?> owner = Coroutine.CURRENT.get();
        if (owner == null) {
            throw new IllegalStateException("scope() called outside a coroutine: a scope parks its caller until its"
                    + " children end; open it in a coroutine (loop.runSync(...) or spawn(...))");
        }
        CoroutineScope scope = new CoroutineScope(owner);
        TimerHandle timer = timeout == null ? null : owner.loop.callLater(timeout, scope::expire);
        T value = null;
        try {
            value = body.run(scope);
        } catch (Throwable e) {
            scope.bodyFailed(e);
        }
        scope.bodyDone = true;
        boolean ownerCancelled = scope.joinChildren();
        if (timer != null) {
            timer.cancel();
        }
        scope.over = true;
        if (scope.interruptedBody && !owner.isCancelled()) {
            Thread.interrupted(); // Ours, if the body never saw it.
        }
        if (scope.failure != null) {
            throw CoroutineScope.<RuntimeException>sneakyThrow(scope.failure);
        } else if (ownerCancelled || owner.isCancelled()) {
            throw new CancellationException("the coroutine running " + scope + " was cancelled");
        } else if (scope.timedOut) {
            throw new TimeoutException("scope did not finish within " + timeout + "; its children were cancelled");
        }
        return value;
    }

    /**
     * Starts {@code body} as a child coroutine of this scope, on its loop, and returns its future
     * at once. Cancelling the future cancels the child only.
     *
     * @throws IllegalStateException if the scope has returned, or is cancelled (a child failed,
     *     the deadline passed, or {@link #cancel()} was called): the child would be cancelled at once
     */
    public <T> CompletableFuture<T> spawn(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        loop.checkInLoop();
        if (over) {
            throw new IllegalStateException(this + " has returned: spawn children only while its body runs");
        } else if (cancelled) {
            throw new IllegalStateException(this + " is cancelled: no new child would run");
        }
        Child child = new Child();
        CompletableFuture<T> f = loop.spawn(() -> {
            child.started = true;
            try {
                return body.call();
            } catch (Throwable e) {
                if (child.future.isCancelled() && !(e instanceof CancellationException)) {
                    fail(e); // Thrown while the scope cancelled it: the future cannot carry it any more.
                    return null;
                }
                throw e;
            } finally {
                child.ended.complete(null);
            }
        });
        child.future = f;
        children.add(child);
        f.whenComplete((v, e) -> loop.runOnLoop(() -> childDone(child, e)));
        return f;
    }

    /**
     * Cancels every child (StructuredTaskScope's {@code shutdown}); the scope then returns once
     * they have ended. Called from a child or a callback while the body runs, it cancels the body
     * too (its pending await throws {@link CancellationException}); called from the body itself,
     * the body goes on. Idempotent.
     */
    public void cancel() {
        loop.checkInLoop();
        cancelAll();
    }

    /** Whether the scope cancelled its children: a failure, the deadline, or {@link #cancel()}. */
    public boolean isCancelled() {
        return cancelled;
    }

    private void childDone(Child child, Throwable e) {
        if (!child.started && child.future.isDone()) {
            child.ended.complete(null); // Cancelled before it ran: its body never will.
        }
        if (e != null && !(Coroutines.unwrap(e) instanceof CancellationException)) {
            fail(Coroutines.unwrap(e));
        }
    }

    private void bodyFailed(Throwable e) {
        boolean consequence = e instanceof CancellationException && (failure != null || timedOut || cancelled);
        if (!consequence) {
            fail(e);
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
        } else if (failure != e) {
            failure.addSuppressed(e);
        }
        cancelAll();
    }

    private void expire() {
        timedOut = true;
        cancelAll();
    }

    private void cancelAll() {
        if (!cancelled) {
            cancelled = true;
            Thread body = owner.thread;
            if (!bodyDone && body != null && body != Thread.currentThread()) {
                interruptedBody = true;
                body.interrupt();
            }
        }
        for (Child c : List.copyOf(children)) {
            c.future.cancel(true);
        }
    }

    /**
     * Waits until every child has ended; if the owner is cancelled meanwhile, cancels the
     * children and goes on waiting. Returns whether the owner was cancelled.
     */
    private boolean joinChildren() {
        boolean ownerCancelled = false;
        while (true) {
            List<CompletableFuture<Void>> running = new ArrayList<>();
            for (Child c : children) {
                if (!c.ended.isDone()) {
                    running.add(c.ended);
                }
            }
            if (running.isEmpty()) {
                return ownerCancelled;
            }
            try {
                await(CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)));
            } catch (CancellationException e) {
                ownerCancelled = true; // The coroutine running the scope was cancelled: so are its children.
                cancelAll();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }

    /** Returns e.g. {@code CoroutineScope[3 children, 1 running, failed: java.io.IOException: refused]}. */
    @Override
    public String toString() {
        long running = children.stream().filter(c -> !c.ended.isDone()).count();
        return "CoroutineScope[" + children.size() + (children.size() == 1 ? " child, " : " children, ") + running
                + " running" + (failure != null ? ", failed: " + failure : timedOut ? ", timed out" : cancelled
                ? ", cancelled" : "") + "]";
    }
}
