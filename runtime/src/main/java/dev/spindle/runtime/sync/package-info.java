/**
 * Tornado's locks and queues for coroutines of one {@link dev.spindle.runtime.IOLoop}
 * ({@code tornado.locks}, {@code tornado.queues}): {@link dev.spindle.runtime.sync.Lock},
 * {@link dev.spindle.runtime.sync.Condition}, {@link dev.spindle.runtime.sync.Event},
 * {@link dev.spindle.runtime.sync.Semaphore}, {@link dev.spindle.runtime.sync.BoundedSemaphore},
 * {@link dev.spindle.runtime.sync.Queue}, {@link dev.spindle.runtime.sync.PriorityQueue} and
 * {@link dev.spindle.runtime.sync.LifoQueue}.
 *
 * <p><b>Loop-confined:</b> every primitive belongs to one loop: the loop current where it is
 * created, or, if it is created outside any loop (say, in {@code main} or a test's set-up), the
 * loop on which it is first used. Call it only from a coroutine or callback of that loop; a call
 * from another thread while the loop runs, or from another loop, throws
 * {@link java.lang.IllegalStateException} naming the fix. While its loop is not running, it may
 * be used from the thread that sets up or inspects it. Being confined, the primitives take no
 * lock and no fence: an uncontended acquire is a field test. To coordinate with other threads,
 * use {@code java.util.concurrent}'s locks and queues, which also work in coroutines (they park
 * the coroutine, not the carrier) at the cost of atomic operations and, across threads, a trip
 * through the loop's remote queue.
 *
 * <p><b>Two forms of every wait.</b> The plain form ({@code lock.acquire()}, {@code queue.get()},
 * {@code event.await()}) parks the calling coroutine and returns when done: call it from a
 * coroutine of the primitive's loop; from a plain callback it throws
 * {@code IllegalStateException} (waiting there would stop the loop). The {@code ...Async} form
 * returns a {@link java.util.concurrent.CompletableFuture} at once (Tornado's awaitables), for
 * callbacks and for combining with {@code any}/{@code all}. Every wait takes an optional
 * {@link java.time.Duration} timeout, measured on the loop's timers; when it expires the wait fails
 * with {@link dev.spindle.runtime.TimeoutException} (Tornado's {@code gen.TimeoutError}), except
 * {@link dev.spindle.runtime.sync.Condition#await(java.time.Duration)}, which returns false, as in
 * Tornado and {@code java.util.concurrent}.
 *
 * <p><b>Fairness and cancellation.</b> Waiters are served in FIFO order, and a release hands
 * the permit (or item) straight to the oldest waiter, so a newcomer never overtakes it. A waiter
 * that times out or is cancelled leaves the line without consuming anything: the plain forms
 * also give back a permit or item that was handed to a coroutine cancelled before it could
 * resume (Tornado issue #2826 lost the item there). Cancelling the future of an {@code ...Async}
 * form withdraws it the same way; a coroutine that awaits such a future and is cancelled should
 * cancel the future too (the plain forms do it for you).
 */
package dev.spindle.runtime.sync;
