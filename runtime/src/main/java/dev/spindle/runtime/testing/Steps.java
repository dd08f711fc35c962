package dev.spindle.runtime.testing;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pins the order in which coroutines interleave (kotlinx.coroutines' {@code TestBase.expect}):
 * each {@link #expect(int)} must come with the next number, and {@link #finish(int)} closes the
 * sequence.
 *
 * {@snippet :
 * steps.expect(1);
 * CompletableFuture<Void> child = spawn(() -> { steps.expect(3); return null; });
 * steps.expect(2);
 * await(child);
 * steps.finish(4);
 * }
 *
 * <p>{@link LoopTest} injects a fresh one into a test method's {@code Steps} parameter and fails
 * the test if a step came out of order (even in a coroutine whose failure nobody saw) or if
 * steps were expected but {@link #finish(int)} never came.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
public final class Steps {
    /** The last step taken. */
    private final AtomicInteger last = new AtomicInteger();
    /** The first step out of order, kept for the end of the test. */
    private final AtomicReference<AssertionError> failure = new AtomicReference<>();
    /** Whether finish() came. */
    private volatile boolean finished;

    /** A sequence at step 0. */
    public Steps() {}

    /**
     * Takes step {@code n}, which must be the next one.
     *
     * @throws AssertionError if it is not (the failure is also kept for {@link #check()})
     */
    public void expect(int n) {
        int actual = last.incrementAndGet();
        if (actual != n) {
            fail("step " + n + " came where step " + actual + " was expected");
        }
    }

    /**
     * Takes the last step, {@code n}.
     *
     * @throws AssertionError if it is not the next one, or finish was already called
     */
    public void finish(int n) {
        if (finished) {
            fail("finish(" + n + ") called after finish()");
        }
        expect(n);
        finished = true;
    }

    /**
     * Marks code that must not run.
     *
     * @throws AssertionError always
     */
    public void expectUnreached() {
        fail("reached code marked unreachable, after step " + last.get());
    }

    /** The last step taken; 0 before the first. */
    public int last() {
        return last.get();
    }

    /** Whether {@link #finish(int)} was called. */
    public boolean isFinished() {
        return finished;
    }

    /**
     * Throws the first out-of-order failure, or complains if steps were taken and not finished.
     *
     * @throws AssertionError if so
     */
    public void check() {
        AssertionError e = failure.get();
        if (e != null) {
            throw e;
        }
        if (last.get() > 0 && !finished) {
            throw new AssertionError("steps stopped at " + last.get() + " without finish(n)");
        }
    }

    private void fail(String message) {
        AssertionError e = new AssertionError(message);
        failure.compareAndSet(null, e);
        throw e;
    }

    @Override
    public String toString() {
        return "Steps[last=" + last.get() + (finished ? ", finished" : "") + "]";
    }
}
