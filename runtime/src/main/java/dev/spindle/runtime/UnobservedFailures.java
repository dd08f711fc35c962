package dev.spindle.runtime;

import dev.spindle.runtime.internal.Log;
import java.lang.ref.Cleaner;
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
 * Each failure gets an Entry registered with a Cleaner on its future. The Entry holds only what
 * the log record needs and the future's Observed flag (never the future, or it would never be
 * collected). Whoever runs the Entry first (the Cleaner, or reportAll at loop close) logs it if
 * the flag is still false; `reported` keeps it to one record.
 */
final class UnobservedFailures {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "spindle-unobserved-failures");
        t.setDaemon(true);
        return t;
    });
    /** For futures made off any loop; never closed, so logged on collection only. */
    private static final UnobservedFailures GLOBAL = new UnobservedFailures();

    /** A failure waiting to be observed. */
    static final class Entry implements Runnable {
        final String label;
        final Throwable failure;
        final TrackedFuture.Observed observed;
        /** Set by whoever logs it first. */
        private volatile boolean reported;
        private final Set<Entry> owner;

        Entry(Set<Entry> owner, String label, Throwable failure, TrackedFuture.Observed observed) {
            this.owner = owner;
            this.label = label;
            this.failure = failure;
            this.observed = observed;
        }

        /** Runs when the future became unreachable, or at loop close. */
        @Override
        public synchronized void run() {
            owner.remove(this);
            if (!observed.value && !reported) {
                reported = true;
                Log.APPLICATION.log(System.Logger.Level.ERROR,
                        "Failure of " + label + " was never observed (nobody awaited or read its future)", failure);
            }
        }
    }

    /** Entries not yet reported or collected. */
    private final Set<Entry> pending = ConcurrentHashMap.newKeySet();

    static UnobservedFailures global() {
        return GLOBAL;
    }

    /** Called when a tracked future failed. */
    void track(TrackedFuture<?> f, Throwable failure) {
        if (f.observed.value || failure instanceof java.util.concurrent.CancellationException) {
            return;
        }
        Entry e = new Entry(pending, f.label(), failure, f.observed);
        pending.add(e);
        CLEANER.register(f, e);
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
            if (!e.observed.value && !e.reported) {
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
}
