package dev.spindle.runtime.net;

import dev.spindle.runtime.testing.LogRecorder;
import java.time.Duration;

/**
 * Run in a fresh JVM by {@link TlsOptionsTest}: makes client settings that verify nothing three
 * times and prints, one a line, the warnings {@code spindle.general} logged meanwhile.
 */
public final class UnverifiedClientWarning {
    private UnverifiedClientWarning() {}

    public static void main(String[] args) {
        try (LogRecorder log = LogRecorder.of("spindle.general", System.Logger.Level.WARNING)) {
            TlsOptions unsafe = TlsOptions.client().withPeerVerification(false);
            unsafe.withHandshakeTimeout(Duration.ofSeconds(1));
            TlsOptions.client().withPeerVerification(false);
            log.takeAllMessages().forEach(System.out::println);
        }
    }
}
