package dev.spindle.runtime.sync;

import dev.spindle.runtime.IOLoop;

/**
 * The loop a primitive belongs to, and the checks that it is used only there.
 *
 * <p><b>Loop-confined</b>, like the primitive that owns it; the checks are what enforce that.
 */
/*
 * Implementation notes: the fast path is one IOLoop.inLoop() (two volatile reads, plain loads on
 * x86, and the current carrier). Binding happens once, at creation inside a loop or at the first
 * use inside one; before that the primitive may be set up from a single thread.
 */
final class Affinity {
    /** The primitive's name for messages, e.g. "Lock". */
    private final String what;
    /** The owning loop, or null until first used on one. Written once, by that loop. */
    private IOLoop loop;

    Affinity(String what) {
        this.what = what;
        this.loop = IOLoop.currentOrNull();
    }

    /**
     * Checks that the caller may use the primitive, binding it to the current loop on first use.
     *
     * @return the owning loop; null if unbound and called outside any loop
     * @throws IllegalStateException if called from another loop, or from another thread while
     *     the owning loop runs
     */
    IOLoop check() {
        IOLoop l = loop;
        if (l != null && l.inLoop()) {
            return l;
        }
        return checkSlowly(l);
    }

    private IOLoop checkSlowly(IOLoop l) {
        IOLoop current = IOLoop.currentOrNull();
        if (l == null) {
            loop = current;
            return current;
        }
        if (current != null && current != l) {
            throw new IllegalStateException(what + " belongs to " + l.name() + " (where it was created or first"
                    + " used) but was called from " + current.name() + ": it is loop-confined. Create one per loop,"
                    + " or hand the call to its loop with " + l.name() + ".execute(...)");
        }
        if (l.isRunning()) {
            throw new IllegalStateException(what + " was called from thread '" + Thread.currentThread().getName()
                    + "' while its loop " + l.name() + " runs on another thread: it is loop-confined. Call it from"
                    + " a coroutine of " + l.name() + ", hand the call over with loop.execute(...), or use"
                    + " java.util.concurrent's thread-safe locks and queues");
        }
        return l; // The loop is not running: set-up or inspection from the thread that owns it.
    }

    /**
     * Checks that the caller is a coroutine of {@code l} and so may park.
     *
     * @throws IllegalStateException naming the fix otherwise
     */
    void requireCoroutine(IOLoop l, String op) {
        boolean virtual = Thread.currentThread().isVirtual();
        if (l != null && virtual && l.inLoop()) {
            return;
        }
        String where = l == null || !l.inLoop() ? "outside its loop" : "from a plain callback of " + l.name();
        throw new IllegalStateException(what + "." + op + " has to wait, and only a coroutine can wait, but it was"
                + " called " + where + ". Call it from a coroutine (loop.spawn(...)), or use the Async form and"
                + " react to its future");
    }
}
