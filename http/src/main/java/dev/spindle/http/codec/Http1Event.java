package dev.spindle.http.codec;

import dev.spindle.http.HttpHeaders;
import dev.spindle.http.RequestStartLine;
import dev.spindle.http.ResponseStartLine;
import dev.spindle.http.StartLine;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * What {@link Http1Parser#feed} found: {@link NeedMore}, a message {@link Head}, a piece of
 * {@link Body}, or the {@link End} of the message. One message gives exactly one {@code Head},
 * zero or more {@code Body} events and one {@code End}, with {@code NeedMore} in between
 * wherever the input ran out.
 *
 * <p><b>Loop-confined:</b> call only from a coroutine or callback of the owning {@code IOLoop}.
 * The records are immutable, but a {@code Head}'s headers are modifiable and a {@code Body}'s
 * buffer is a view into the caller's input.
 *
 * <p>Named {@code Http1Event} rather than {@code Event} so that it never clashes with
 * {@code dev.spindle.runtime.sync.Event} in an import list.
 *
 * @since 0.1
 */
public sealed interface Http1Event {
    /** The only {@link NeedMore} instance. */
    NeedMore NEED_MORE = new NeedMore();

    /**
     * Every byte of the input was consumed and the message is not finished: read more bytes into
     * the buffer (it may be cleared first) and feed again.
     */
    record NeedMore() implements Http1Event {}

    /**
     * The start line and headers of a message, and the framing the parser will follow.
     *
     * @param startLine a {@link RequestStartLine} or a {@link ResponseStartLine}
     * @param headers the header fields, in order; modifiable, owned by the receiver from now on
     * @param framing how the body is delimited
     */
    record Head(StartLine startLine, HttpHeaders headers, BodyFraming framing) implements Http1Event {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if a component is null
         */
        public Head {
            Objects.requireNonNull(startLine, "startLine");
            Objects.requireNonNull(headers, "headers");
            Objects.requireNonNull(framing, "framing");
        }
    }

    /**
     * Body bytes, chunked framing removed: {@code data}'s remaining bytes.
     *
     * <p>{@code data} is a view into the buffer given to {@code feed}, not a copy: consume or
     * copy its bytes before the caller reuses that buffer (compacts, clears or reads into it),
     * which is at the latest before the next {@code feed}. Its position and limit are its own.
     *
     * @param data the body bytes, never empty
     */
    record Body(ByteBuffer data) implements Http1Event {
        /**
         * Checks the buffer.
         *
         * @throws NullPointerException if {@code data} is null
         */
        public Body {
            Objects.requireNonNull(data, "data");
        }
    }

    /**
     * The message is complete. Call {@link Http1Parser#reset()} to parse the next one.
     *
     * @param trailers the trailer fields of a chunked body, read-only, usually empty
     */
    record End(HttpHeaders trailers) implements Http1Event {
        /**
         * Checks the trailers.
         *
         * @throws NullPointerException if {@code trailers} is null
         */
        public End {
            Objects.requireNonNull(trailers, "trailers");
        }
    }
}
