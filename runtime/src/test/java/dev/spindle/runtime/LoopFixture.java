package dev.spindle.runtime;

import dev.spindle.runtime.testing.VirtualTime;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link IOLoop} for one test, closed after it, for tests that run the loop themselves
 * ({@code runSync}, {@code start}, {@code close}); tests of coroutine code use
 * {@code @LoopTest} instead. JUnit makes a test instance per test method, so:
 *
 * {@snippet :
 * @RegisterExtension
 * final LoopFixture fixture = new LoopFixture();
 * private final IOLoop loop = fixture.loop;
 * }
 */
final class LoopFixture implements AfterEachCallback {
    final IOLoop loop;

    /** A fixture with a loop on real time. */
    LoopFixture() {
        this(IOLoop.create());
    }

    private LoopFixture(IOLoop loop) {
        this.loop = loop;
    }

    /** A fixture with a loop on a virtual clock ({@link VirtualTime}). */
    static LoopFixture virtual() {
        return new LoopFixture(VirtualTime.createLoop());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        loop.close();
    }
}
