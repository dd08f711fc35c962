package dev.spindle.runtime;

import dev.spindle.runtime.internal.VirtualClocks;
import java.time.Duration;
import java.util.Objects;

/**
 * The runtime's side of {@link VirtualClocks}: makes loops on virtual clocks and reads them.
 *
 * <p><b>Thread-safe:</b> stateless.
 */
final class VirtualLoops implements VirtualClocks.Access {
    private VirtualLoops() {}

    /** Called once, by IOLoop's class initialiser. */
    static void install() {
        VirtualClocks.install(new VirtualLoops());
    }

    @Override
    public IOLoop create(Duration ioQuantum) {
        return IOLoop.createVirtual(ioQuantum);
    }

    @Override
    public Duration elapsed(IOLoop loop) {
        VirtualClock c = clockOf(loop);
        return c == null ? null : Duration.ofNanos(c.elapsedNanos());
    }

    @Override
    public Duration ioQuantum(IOLoop loop) {
        VirtualClock c = clockOf(loop);
        return c == null ? null : c.quantum();
    }

    @Override
    public Duration defaultIoQuantum() {
        return VirtualClock.DEFAULT_QUANTUM;
    }

    private static VirtualClock clockOf(IOLoop loop) {
        return Objects.requireNonNull(loop, "loop").scheduler.virtualClock;
    }
}
