package dev.spindle.http.client;

import dev.spindle.runtime.TimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * A fetch ran out of time; {@link #phase()} and the message say where (Tornado: the messages
 * of {@code HTTPTimeoutError}, "Timeout in request queue", "Timeout while connecting", "Timeout
 * during request").
 *
 * {@snippet :
 * try {
 *     await(client.fetch(request));
 * } catch (TimeoutException e) {     // dev.spindle.runtime.TimeoutException, or this subclass
 *     log(e.getMessage());           // "Timeout during request after 5000 ms: GET http://..."
 * }
 * }
 *
 * <p><b>Thread-safe:</b> immutable once thrown.
 *
 * <p>A subclass of Spindle's {@link TimeoutException}, so code that catches timeouts in general
 * catches it too; unlike Tornado's, it is not an {@link HttpClientException} with code 599,
 * because no response exists.
 *
 * @since 0.1
 */
public final class HttpTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    /** Where a fetch was when its time ran out. */
    public enum Phase {
        /** Waiting for a free slot: {@code maxClients} requests were in progress. */
        QUEUE("in request queue"),
        /** Opening the connection. */
        CONNECT("while connecting"),
        /** Sending the request or receiving the response, redirects included. */
        REQUEST("during request");

        private final String words;

        Phase(String words) {
            this.words = words;
        }

        /** The phase as the message says it: "in request queue", "while connecting", "during request". */
        public String words() {
            return words;
        }
    }

    private final Phase phase;
    private final Duration timeout;

    /**
     * Creates the exception, with the message {@code "Timeout <phase words> after <n> ms: <what>"}.
     *
     * @param phase where the fetch was
     * @param timeout the timeout that ran out
     * @param what the request, e.g. {@code "GET http://host/path"}
     */
    public HttpTimeoutException(Phase phase, Duration timeout, String what) {
        super("Timeout " + Objects.requireNonNull(phase, "phase").words() + " after "
                + Objects.requireNonNull(timeout, "timeout").toMillis() + " ms: " + what);
        this.phase = phase;
        this.timeout = timeout;
    }

    /** Where the fetch was when the time ran out. */
    public Phase phase() {
        return phase;
    }

    /** The timeout that ran out: the connect timeout or the request timeout. */
    public Duration timeout() {
        return timeout;
    }
}
