package dev.spindle.runtime.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Validation and saturating conversion of {@link Duration} arguments.
 *
 * <p><b>Thread-safe:</b> stateless.
 *
 * <p>Internal: exported only to {@code dev.spindle.http}, so that both modules check and convert
 * durations the same way.
 */
public final class Durations {
    /** Far enough to never fire, near enough that adding it to a nanoTime cannot overflow twice. */
    private static final long MAX_NANOS = Long.MAX_VALUE / 4;

    private Durations() {}

    public static Duration requireNonNegative(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " is negative: " + d);
        }
        return d;
    }

    public static Duration requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive: " + d);
        }
        return d;
    }

    /** Nanoseconds in {@code d}, capped instead of overflowing. */
    public static long toNanos(Duration d) {
        if (d.compareTo(Duration.ofNanos(MAX_NANOS)) >= 0) {
            return MAX_NANOS;
        }
        return d.toNanos();
    }

    /** {@code now + d} in nanoseconds, for deadlines. */
    public static long deadline(long now, Duration d) {
        return now + toNanos(d);
    }
}
