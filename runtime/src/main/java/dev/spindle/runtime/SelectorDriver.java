package dev.spindle.runtime;

import dev.spindle.runtime.internal.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The loop's NIO selector: registration of channels and the select step of an iteration, which
 * hands ready keys to their {@link IoHandler}s.
 *
 * <p><b>Loop-confined:</b> call only on the owning loop's carrier, except {@link #wakeup()}.
 */
/*
 * Implementation notes:
 *
 * While callbacks keep coming (coroutines handing work to each other), a non-blocking select per
 * iteration would cost a system call per hop: measured, it nearly doubles an await round trip
 * (jmh AwaitBenchmark). So a busy iteration skips the poll, but I/O is still polled whenever
 * moment() or a cancelled key asks for it, every iteration in which the loop has nothing else
 * to do, and in a run of busy iterations once BUSY_POLL_NANOS have passed since the run began.
 * The clock is read once every CHECK_EVERY tasks of the run, not per iteration: an await round
 * trip is two iterations of about a hundred ns, and a poll (one epoll_wait) costs about a µs,
 * so polling every 64 iterations, as this once did, still took about 15 % of a round trip
 * (perf, AwaitBenchmark). A run of many small tasks thus polls about every 50 µs; a run of
 * heavy ones every CHECK_EVERY tasks at least once they have taken that long.
 */
final class SelectorDriver {
    /** How long a run of busy iterations goes without polling I/O, at most (plus up to CHECK_EVERY tasks). */
    private static final long BUSY_POLL_NANOS = 50_000;
    /** How many tasks of a busy run go by between two reads of the clock. */
    private static final int CHECK_EVERY = 16;

    private final String loopName;
    private final Selector selector;
    /** Hands each ready key to its handler; one instance, not one per select. */
    private final Consumer<SelectionKey> dispatcher = this::dispatch;
    private final BlockingDetector detector;
    /** Tasks of the current busy run since the clock was last read. Loop-confined. */
    private int tasksSinceCheck;
    /** Whether a busy run is under way, and when it began (System.nanoTime). Loop-confined. */
    private boolean busyRun;
    private long busyRunStart;
    /** The current iteration must poll I/O. Loop-confined. */
    private boolean pollRequested;

    SelectorDriver(String loopName, BlockingDetector detector) {
        this.loopName = loopName;
        this.detector = detector;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector for " + loopName, e);
        }
    }

    /** Wakes a select in progress, or makes the next one return at once. <b>Thread-safe.</b> */
    void wakeup() {
        selector.wakeup();
    }

    SelectionKey register(SelectableChannel channel, int ops, IoHandler handler) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(handler, "handler");
        try {
            channel.configureBlocking(false);
            return channel.register(selector, ops, handler);
        } catch (ClosedChannelException e) {
            throw new IllegalStateException("channel is closed: " + channel, e);
        } catch (ClosedSelectorException e) {
            throw new IllegalStateException(loopName + " is closed: cannot register " + channel, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot register " + channel, e);
        }
    }

    /** The channel's valid key here, or null. */
    SelectionKey keyFor(SelectableChannel channel) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && key.isValid() ? key : null;
    }

    /** Changes the interest set of {@code channel}'s key; throws if it has none here. */
    void update(SelectableChannel channel, int ops) {
        SelectionKey key = keyFor(channel);
        if (key == null) {
            throw new IllegalStateException("no handler for " + channel + " on " + loopName
                    + "; call addHandler first");
        }
        key.interestOps(ops);
    }

    /** Cancels {@code channel}'s key, if it has one here. */
    void remove(SelectableChannel channel) {
        SelectionKey key = keyFor(channel);
        if (key != null) {
            cancel(key);
        }
    }

    /**
     * Cancels a key. A closed channel gives back its file descriptor only when the selector
     * next polls, so a cancellation makes the next iteration poll even if it is busy: a burst of
     * closes and opens on a busy loop must not run out of descriptors.
     */
    void cancel(SelectionKey key) {
        key.cancel();
        pollRequested = true;
    }

    /** Asks the next iteration to poll even if it is busy. */
    void requestPoll() {
        pollRequested = true;
    }

    /**
     * The select step: polls without blocking when {@code busy} (and not even that on most busy
     * iterations), else blocks up to {@code waitNanos} (-1: until woken), with the callback
     * queue's wake-up handshake. {@code tasks} is how many tasks the iteration ran. Returns how
     * many keys were handed to their handlers.
     */
    int select(boolean busy, long waitNanos, CallbackQueue callbacks, int tasks) {
        try {
            if (busy) {
                return pollDue(tasks) ? pollNow() : 0;
            } else if (waitNanos == 0 || !callbacks.beforeSleep()) {
                return pollNow();
            }
            busyRun = false;
            try {
                // Round up: waking a little late is harmless, waking early spins.
                return selector.select(dispatcher, waitNanos < 0 ? 0 : Math.max(1, (waitNanos + 999_999) / 1_000_000));
            } finally {
                callbacks.afterSleep();
            }
        } catch (IOException e) {
            Log.GENERAL.log(System.Logger.Level.ERROR, "select failed on " + loopName, e);
            return 0;
        }
    }

    /** Whether a busy iteration that ran {@code tasks} tasks must poll I/O; see the implementation notes. */
    private boolean pollDue(int tasks) {
        if (pollRequested) {
            return true;
        }
        tasksSinceCheck += Math.max(1, tasks);
        if (tasksSinceCheck < CHECK_EVERY) {
            return false;
        }
        tasksSinceCheck = 0;
        long now = System.nanoTime();
        if (!busyRun) {
            busyRun = true;
            busyRunStart = now;
            return false;
        }
        return now - busyRunStart >= BUSY_POLL_NANOS;
    }

    private int pollNow() throws IOException {
        busyRun = false;
        tasksSinceCheck = 0;
        pollRequested = false;
        return selector.selectNow(dispatcher);
    }

    /** Whether a registered channel is selected for some operation: I/O the loop may be waiting for. */
    boolean hasInterest() {
        for (SelectionKey key : selector.keys()) {
            try {
                if (key.isValid() && key.interestOps() != 0) {
                    return true;
                }
            } catch (CancelledKeyException e) {
                // Its channel was closed by another thread just now: no I/O to wait for on it.
            }
        }
        return false;
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        IoHandler h = (IoHandler) key.attachment();
        detector.taskStarted();
        try {
            h.ready(key);
        } catch (Throwable e) {
            Log.APPLICATION.log(System.Logger.Level.ERROR, "Exception in I/O handler for " + key.channel(), e);
        } finally {
            detector.taskEnded();
        }
    }

    /** How many channels are registered; -1 once closed. */
    int channelCount() {
        try {
            return selector.keys().size();
        } catch (ClosedSelectorException e) {
            return -1;
        }
    }

    void close() {
        try {
            selector.close();
        } catch (IOException e) {
            Log.GENERAL.log(System.Logger.Level.WARNING, "closing the selector of " + loopName + " failed", e);
        }
    }
}
