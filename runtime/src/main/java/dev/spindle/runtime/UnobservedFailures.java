package dev.spindle.runtime;

import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failures of coroutines that nobody has observed, logged once they can no longer be
 * observed: when the future is garbage-collected or when its loop closes (Tornado's "Future
 * exception was never retrieved").
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
final class UnobservedFailures {
    private static final Cleaner CLEANER = Cleaner.create(r -> {
        Thread t = new Thread(r, "spindle-unobserved-failures");
        t.setDaemon(true);
        return t;
    });

    /** A failure waiting to be observed; its {@code coroutine} is weakly reachable only via the Cleaner. */
    static final class Entry implements Runnable {
        final String name;
        final Throwable failure;
        final Coroutine.Observed observed;
        volatile boolean reported;
        private final Set<Entry> owner;

        Entry(Set<Entry> owner, String name, Throwable failure, Coroutine.Observed observed) {
            this.owner = owner;
            this.name = name;
            this.failure = failure;
            this.observed = observed;
        }

        /** Runs when the coroutine became unreachable, or at loop close. */
        @Override
        public void run() {
            owner.remove(this);
            if (!observed.value && !reported) {
                reported = true;
                Log.APPLICATION.log(System.Logger.Level.ERROR,
                        "Coroutine " + name + " failed and nobody observed its failure", failure);
            }
        }
    }

    /** Entries not yet reported or collected. */
    private final Set<Entry> pending = ConcurrentHashMap.newKeySet();

    /** Called when a coroutine ended in failure. */
    void track(Coroutine<?> c, Throwable failure) {
        if (c.observed.value || failure instanceof java.util.concurrent.CancellationException) {
            return;
        }
        Entry e = new Entry(pending, c.name(), failure, c.observed);
        pending.add(e);
        CLEANER.register(c, e);
    }

    /** A coroutine whose future was already done (cancelled) threw something else: log it now. */
    void coroutineFailedAfterDone(Coroutine<?> c, Throwable failure) {
        Log.APPLICATION.log(System.Logger.Level.WARNING,
                "Coroutine " + c.name() + " threw after its future was already completed", failure);
    }

    /** Failures still unobserved now (their coroutines may yet be observed). */
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
