package dev.spindle.http.codec;

/**
 * How the body of a message is delimited, as the parser decided it from the start line and the
 * headers (RFC 9112 §6.3).
 *
 * <p><b>Thread-safe:</b> may be called from any thread (immutable).
 *
 * <p>{@code toString()} gives the short forms {@code LENGTH(n)}, {@code CHUNKED},
 * {@code UNTIL_CLOSE} and {@code NONE}.
 *
 * @since 0.1
 */
public sealed interface BodyFraming {
    /** {@code Transfer-Encoding} ending in {@code chunked}. */
    BodyFraming CHUNKED = new Chunked();
    /** A response with neither length nor chunking: the body ends when the peer closes. */
    BodyFraming UNTIL_CLOSE = new UntilClose();
    /** No body: a request without length, a 1xx/204/304 response, or one to HEAD. */
    BodyFraming NONE = new None();

    /**
     * A {@code Content-Length} body.
     *
     * @param bytes the declared length, not negative
     */
    record Length(long bytes) implements BodyFraming {
        /**
         * Checks the length.
         *
         * @throws IllegalArgumentException if {@code bytes} is negative
         */
        public Length {
            if (bytes < 0) throw new IllegalArgumentException("bytes < 0: " + bytes);
        }

        @Override
        public String toString() {
            return "LENGTH(" + bytes + ")";
        }
    }

    /** See {@link #CHUNKED}. */
    record Chunked() implements BodyFraming {
        @Override
        public String toString() {
            return "CHUNKED";
        }
    }

    /** See {@link #UNTIL_CLOSE}. */
    record UntilClose() implements BodyFraming {
        @Override
        public String toString() {
            return "UNTIL_CLOSE";
        }
    }

    /** See {@link #NONE}. */
    record None() implements BodyFraming {
        @Override
        public String toString() {
            return "NONE";
        }
    }
}
