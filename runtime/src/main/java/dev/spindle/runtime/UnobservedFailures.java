package dev.spindle.runtime;

import dev.spindle.runtime.internal.Log;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures of coroutines and Spindle-made futures that nobody has observed, logged
 * ({@code spindle.application}, with the stack trace) once they can no longer be observed: when
 * the future is garbage-collected, or when its loop closes (Tornado's "Future exception was
 * never retrieved").
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
/*
 * Implementation notes:
 *
 * Each failure gets an Entry: a phantom reference to its future on one queue for all sinks,
 * holding only what the log record needs and the future's Observed flag (never the future, or
 * it would never be collected). Whoever runs the Entry first (the collector thread once the
 * future is collected, or reportAll at loop close) logs it if the flag is still false; `done`
 * keeps it to one record.
 *
 * The collector thread (spindle-unobserved-failures, a daemon) runs only while some entry is
 * waiting: the first entry starts it, the last one done interrupts it, and so does a launcher
 * that ends leftover threads; an entry made after that starts it again. So once the last loop
 * has closed (which runs its entries), the thread is gone unless a future made off any loop
 * still waits for collection.
 */
final class UnobservedFailures {
    /** Where the collected futures' entries arrive, for every sink. */
    private static final ReferenceQueue<TrackedFuture<?>> COLLECTED = new ReferenceQueue<>();
    /** Guards {@link #waiting} and {@link #collector}. */
    private static final Object LOCK = new Object();
    /** Entries of all sinks not yet run. Guarded by LOCK. */
    private static int waiting;
    /** The collector thread while entries wait; null otherwise. Guarded by LOCK. */
    private static Thread collector;
    /** For futures made off any loop; never closed, so logged on collection only. */
    private static final UnobservedFailures GLOBAL = new UnobservedFailures();

    /** A failure waiting to be observed. */
    static final class Entry extends PhantomReference<TrackedFuture<?>> implements Runnable {
        final String label;
        final Throwable failure;
        final TrackedFuture.Observed observed;
        /** Set by whoever runs it first. Guarded by this. */
        private boolean done;
        private final Set<Entry> owner;

        Entry(Set<Entry> owner, TrackedFuture<?> f, Throwable failure, TrackedFuture.Observed observed) {
            super(f, COLLECTED);
            this.owner = owner;
            this.label = f.label();
            this.failure = failure;
            this.observed = observed;
        }

        /** Runs when the future became unreachable, or at loop close. */
        @Override
        public void run() {
            synchronized (this) {
                if (done) {
                    return;
                }
                done = true;
            }
            owner.remove(this);
            clear();
            if (!observed.value) {
                Log.APPLICATION.log(System.Logger.Level.ERROR,
                        "Failure of " + label + " was never observed (nobody awaited or read its future)", failure);
            }
            entryDone();
        }

        synchronized boolean isDone() {
            return done;
        }
    }

    /** Entries not yet reported or collected. */
    private final Set<Entry> pending = ConcurrentHashMap.newKeySet();

    static UnobservedFailures global() {
        return GLOBAL;
    }

    /**
     * Called when a tracked future failed unobserved (not by cancellation: TrackedFuture never
     * tracks that); {@code observed} is set once someone observes it.
     */
    void track(TrackedFuture<?> f, Throwable failure, TrackedFuture.Observed observed) {
        if (observed.value) {
            return;
        }
        pending.add(new Entry(pending, f, failure, observed));
        entryAdded();
    }

    /** A coroutine whose future was already done (cancelled) threw something else: log it now. */
    void coroutineFailedAfterDone(Coroutine<?> c, Throwable failure) {
        Log.APPLICATION.log(System.Logger.Level.WARNING,
                "Coroutine " + c.name() + " threw after its future was already completed", failure);
    }

    /** Failures still unobserved now (their futures may yet be observed). */
    List<Throwable> unobserved() {
        List<Throwable> out = new ArrayList<>();
        for (Entry e : pending) {
            if (!e.observed.value && !e.isDone()) {
                out.add(e.failure);
            }
        }
        return out;
    }

    /** Logs every failure still unobserved; called when the loop closes. */
    void reportAll() {
        for (Entry e : List.copyOf(pending)) {
            e.run();
        }
    }

    private static void entryAdded() {
        synchronized (LOCK) {
            waiting++;
            if (collector == null) {
                collector = Thread.ofPlatform().daemon().name("spindle-unobserved-failures")
                        .start(UnobservedFailures::collect);
            }
        }
    }

    private static void entryDone() {
        synchronized (LOCK) {
            if (--waiting == 0 && collector != null) {
                collector.interrupt();
                collector = null;
            }
        }
    }

    /** The collector thread now, or null; for tests. */
    static Thread collector() {
        synchronized (LOCK) {
            return collector;
        }
    }

    /** The collector thread: runs the entries of collected futures until interrupted. */
    private static void collect() {
        Thread me = Thread.currentThread();
        try {
            while (true) {
                ((Entry) COLLECTED.remove()).run();
            }
        } catch (InterruptedException e) {
            // No entry is left, or a launcher is ending the threads the program left.
        } finally {
            synchronized (LOCK) {
                if (collector == me) {
                    collector = null;
                }
            }
        }
    }
}
