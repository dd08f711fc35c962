package dev.spindle.runtime.testing;

import dev.spindle.runtime.CoroutineInfo;
import dev.spindle.runtime.Coroutines;
import dev.spindle.runtime.IOLoop;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link LoopTest}.
 *
 * <p><b>Thread-safe:</b> JUnit may run tests in parallel; all per-test state lives in the
 * test's {@link ExtensionContext.Store}.
 */
/*
 * Implementation notes: the loop is created in beforeEach and runs on the JUnit thread inside
 * interceptTestMethod (runSync), so @BeforeEach/@AfterEach methods run outside the loop while
 * it is idle, where the loop's and the sync primitives' set-up is allowed. The timeout is real
 * time whatever the loop's clock: a JDK delayed completion hands the loop a callback that takes
 * the dump and stops the run, and runSync then cancels the test coroutine, lets it finish and
 * throws IllegalStateException, which the dump tells from any the test threw itself.
 */
final class LoopTestExtension
        implements BeforeEachCallback, AfterEachCallback, InvocationInterceptor, ParameterResolver {
    static final String TIMEOUT_PROPERTY = "spindle.test.timeout";
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /** Loop iterations run after the test so that coroutines already woken can end. */
    private static final int SETTLE_PASSES = 10;
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LoopTestExtension.class);

    /** Per-test state. */
    private static final class Fixture {
        final IOLoop loop;
        final Steps steps = new Steps();
        /** How the log records of this loop's unobserved failures end. */
        final String tag;
        /** Catches those records when a collected future is logged during the test. */
        final ExpectLog unobserved;

        Fixture(boolean virtualTime) {
            loop = virtualTime ? VirtualTime.createLoop() : IOLoop.create();
            tag = " on " + loop.name() + " was never observed";
            unobserved = ExpectLog.of("spindle.application", tag, System.Logger.Level.ERROR, false);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        fixture(context);
    }

    private static Fixture fixture(ExtensionContext context) {
        return context.getStore(NS).getOrComputeIfAbsent(Fixture.class, k -> new Fixture(virtualTime(context)),
                Fixture.class);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> invocationContext,
            ExtensionContext context) throws Throwable {
        runOnLoop(invocation, context);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation,
            ReflectiveInvocationContext<Method> invocationContext, ExtensionContext context) throws Throwable {
        runOnLoop(invocation, context);
    }

    private static void runOnLoop(Invocation<Void> invocation, ExtensionContext context) throws Throwable {
        IOLoop loop = fixture(context).loop;
        Duration timeout = timeout(context);
        String[] dump = {null}; // Written and read on this thread, the loop's carrier.
        CompletableFuture<Void> guard = new CompletableFuture<>();
        guard.completeOnTimeout(null, timeout.toNanos(), TimeUnit.NANOSECONDS).thenRun(() -> loop.runOnLoop(() -> {
            dump[0] = loop.dumpCoroutines();
            loop.stop();
        }));
        try {
            loop.runSync(() -> {
                try {
                    invocation.proceed();
                } catch (Throwable e) {
                    throw LoopTestExtension.<Exception>sneaky(e);
                }
                return null;
            });
        } catch (IllegalStateException e) {
            if (dump[0] == null) {
                throw e; // The test's own.
            }
            throw new AssertionError(context.getDisplayName() + " timed out after " + format(timeout)
                    + " of real time (@LoopTest(timeout=...) or -D" + TIMEOUT_PROPERTY + " to change it). Coroutines"
                    + " when it timed out:\n" + dump[0]);
        } finally {
            guard.cancel(false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Fixture f = context.getStore(NS).remove(Fixture.class, Fixture.class);
        if (f == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        List<Throwable> causes = new ArrayList<>();
        try {
            List<CoroutineInfo> leaked = settle(f.loop);
            if (!leaked.isEmpty()) {
                problems.add(leaked.size() + " coroutine(s) still alive after the test: spawned and never awaited"
                        + " or cancelled (they are cancelled now).\n" + f.loop.dumpCoroutines());
            }
            List<Throwable> unobserved = f.loop.unobservedFailures();
            for (Throwable t : unobserved) {
                problems.add("a failure nobody observed (no one awaited the coroutine or future): " + t);
                causes.add(t);
            }
            for (LogRecord r : f.unobserved.matched()) {
                problems.add(LogTap.message(r));
                if (r.getThrown() != null) {
                    causes.add(r.getThrown());
                }
            }
            try {
                f.steps.check();
            } catch (AssertionError e) {
                problems.add("Steps: " + e.getMessage());
                causes.add(e);
            }
        } finally {
            f.loop.close(); // Logs what is still unobserved: already reported above, so swallowed.
            f.unobserved.close();
        }
        if (!problems.isEmpty()) {
            AssertionError e = new AssertionError(String.join("\n\n", problems));
            causes.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * The coroutines still alive once the loop ran what was already ready: a coroutine that the
     * test cancelled or woke on its way out (a server closed in its last line) finishes first,
     * while one that waits for I/O, a timer or a future nobody completes is a leak.
     */
    private static List<CoroutineInfo> settle(IOLoop loop) {
        List<CoroutineInfo> alive = loop.listCoroutines();
        if (alive.isEmpty() || loop.isClosed() || loop.isRunning()) {
            return alive;
        }
        loop.runSync(() -> {
            for (int i = 0; i < SETTLE_PASSES && loop.listCoroutines().size() > 1; i++) {
                Coroutines.moment(); // One full iteration: ready callbacks, due timers, I/O already there.
            }
            return null;
        });
        return loop.listCoroutines();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == IOLoop.class || type == Steps.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("@LoopTest makes one IOLoop per test method; "
                    + parameter.getParameter() + " cannot be resolved in class-level methods such as @BeforeAll");
        }
        Fixture f = fixture(context);
        return parameter.getParameter().getType() == IOLoop.class ? f.loop : f.steps;
    }

    /** Whether the method's or the class's @LoopTest asks for a virtual clock. */
    static boolean virtualTime(ExtensionContext context) {
        for (Optional<? extends java.lang.reflect.AnnotatedElement> e
                : List.of(context.getTestMethod(), context.getTestClass())) {
            if (AnnotationSupport.findAnnotation(e, LoopTest.class).map(LoopTest::virtualTime).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** The method's @LoopTest timeout, else the class's, else the property, else 5 s. */
    static Duration timeout(ExtensionContext context) {
        for (Optional<? extends java.lang.reflect.AnnotatedElement> e
                : List.of(context.getTestMethod(), context.getTestClass())) {
            Optional<LoopTest> a = AnnotationSupport.findAnnotation(e, LoopTest.class);
            if (a.isPresent() && a.get().timeout() > 0) {
                return Duration.of(a.get().timeout(), a.get().unit().toChronoUnit());
            }
        }
        String p = System.getProperty(TIMEOUT_PROPERTY);
        return p == null || p.isBlank() ? DEFAULT_TIMEOUT : parseTimeout(p.strip());
    }

    /** {@code 10} (seconds), {@code 1.5s}, {@code 500ms}, or ISO-8601 ({@code PT1M}). */
    static Duration parseTimeout(String v) {
        try {
            String s = v.toLowerCase(Locale.ROOT);
            if (s.endsWith("ms")) {
                return Duration.ofNanos(Math.round(Double.parseDouble(s.substring(0, s.length() - 2)) * 1e6));
            }
            if (s.startsWith("p")) {
                return Duration.parse(v);
            }
            String secs = s.endsWith("s") ? s.substring(0, s.length() - 1) : s;
            return Duration.ofNanos(Math.round(Double.parseDouble(secs) * 1e9));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("-D" + TIMEOUT_PROPERTY + "=" + v + " is not a duration; write 10"
                    + " (seconds), 1.5s, 500ms or PT1M", e);
        }
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable e) throws E {
        throw (E) e;
    }
}
