package dev.spindle.runtime.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test method as a coroutine on a fresh {@link dev.spindle.runtime.IOLoop} (Tornado:
 * {@code AsyncTestCase} with {@code @gen_test}). Put it on a test class or on {@code @Test}
 * methods:
 *
 * {@snippet :
 * @LoopTest
 * class QueueTest {
 *     @Test
 *     void getWaitsForPut(IOLoop loop, Steps steps) {
 *         Queue<String> q = Queue.create();
 *         CompletableFuture<String> got = spawn(q::get);
 *         q.put("x");
 *         assertEquals("x", await(got));
 *     }
 * }
 * }
 *
 * <p>For every test: a new loop is created before {@code @BeforeEach} methods; the test method
 * runs as a coroutine on it (so it may {@code await}, {@code sleep} and use the
 * {@code dev.spindle.runtime.sync} primitives directly); test and lifecycle methods may declare
 * an {@link dev.spindle.runtime.IOLoop} parameter and a {@link Steps} parameter. After the test
 * and its {@code @AfterEach} methods, the test fails if a coroutine is still alive (a leak:
 * spawned and neither awaited nor cancelled), if a failure of the loop's coroutines or futures
 * was never observed, or if {@link Steps} were left unfinished; then the loop is closed.
 *
 * <table class="striped">
 * <caption>Timeout of the test method</caption>
 * <tr><th>source</th><th>value</th></tr>
 * <tr><td>{@link #timeout()} on the method, else on the class</td><td>if positive</td></tr>
 * <tr><td>system property {@code spindle.test.timeout}</td><td>{@code 10} (seconds, like Tornado's
 *     {@code ASYNC_TEST_TIMEOUT}), {@code 500ms}, {@code 2s}, {@code PT1M}</td></tr>
 * <tr><td>default</td><td>5 seconds</td></tr>
 * </table>
 *
 * <p>When the timeout expires, the test coroutine is cancelled and the test fails with a dump of
 * the loop's coroutines as they were at that moment: who waits for what, with their stacks. The
 * timeout is real time, also on a virtual clock (kotlinx's {@code runTest} does the same): a JDK
 * timer thread hands the loop a callback that takes the dump and stops the run. So a test that
 * blocks the carrier itself (a busy loop, a pinned park) cannot be stopped; the blocked-loop
 * detector logs it on {@code spindle.general}.
 *
 * <p>With {@link #virtualTime() virtualTime = true} the loop's clock is virtual
 * ({@link VirtualTime}): timers fire as soon as the loop has nothing else to do, so a test that
 * sleeps an hour or waits for a ten-minute timeout takes microseconds of real time.
 *
 * <p><b>Thread-safe:</b> each test gets its own loop, so tests may run in parallel; the test
 * method itself is loop-confined to its loop, like any coroutine.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@ExtendWith(LoopTestExtension.class)
@SuppressWarnings("exports") // JUnit (org.junit.jupiter.api is there when this is used) instantiates the extension.
public @interface LoopTest {
    /** The test method's timeout in {@link #unit()}s; 0 (the default) for the property or 5 s. */
    long timeout() default 0;

    /** The unit of {@link #timeout()}. */
    TimeUnit unit() default TimeUnit.SECONDS;

    /**
     * Whether the test's loop runs on a virtual clock, made by {@link VirtualTime#createLoop()}; it
     * does if the method's or the class's {@code @LoopTest} says so.
     */
    boolean virtualTime() default false;
}
