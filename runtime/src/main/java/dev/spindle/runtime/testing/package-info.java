/**
 * JUnit 5 support for code that runs on an {@link dev.spindle.runtime.IOLoop} (Tornado:
 * {@code tornado.testing}): {@link dev.spindle.runtime.testing.LoopTest} runs each test method
 * as a coroutine on a fresh loop with a timeout, and fails tests that leak coroutines or leave
 * failures unobserved ({@code AsyncTestCase} and {@code gen_test});
 * {@link dev.spindle.runtime.testing.ExpectLog} and {@link dev.spindle.runtime.testing.LogRecorder}
 * capture log records; {@link dev.spindle.runtime.testing.Steps} pins the order in which
 * coroutines interleave; {@link dev.spindle.runtime.testing.TestCertificates} makes a throwaway
 * CA and server certificate for TLS tests; {@link dev.spindle.runtime.testing.VirtualTime} makes
 * loops whose clock is virtual, so that timers fire without real waiting (kotlinx's
 * {@code TestCoroutineScheduler}), also through {@code @LoopTest(virtualTime = true)}.
 *
 * <p>JUnit Jupiter's API is needed at compile time only by this package; add
 * {@code org.junit.jupiter:junit-jupiter} to your test dependencies to use it.
 */
package dev.spindle.runtime.testing;
