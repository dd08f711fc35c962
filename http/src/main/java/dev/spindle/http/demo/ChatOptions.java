package dev.spindle.http.demo;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The chat server's command-line options (Tornado: {@code tornado.options} with
 * {@code define("port", default=8888)}). <b>Thread-safe:</b> may be called from any thread
 * (immutable).
 *
 * @param port the port to listen on; 0 for any free one
 * @param address the address to bind
 * @param buffer how many of the last messages are kept
 * @param maxMessage the largest message body, in UTF-8 bytes
 * @param maxWait how long a long poll waits before it is answered with no messages
 */
record ChatOptions(int port, InetAddress address, int buffer, int maxMessage, Duration maxWait) {
    /** The usage text, for {@code --help} and bad options. */
    static final String USAGE = """
            Usage: ChatServer [options]
              --port N          port to listen on, 0 for any free one (default 8888)
              --address A       address to bind (default 127.0.0.1)
              --buffer N        how many recent messages to keep (default 200)
              --max-message N   largest message, in bytes of UTF-8 (default 4096)
              --max-wait S      seconds a long poll waits before answering with no messages (default 60)
              --help            print this and exit
            Options may also be written --port=N.""";

    /** The defaults: 127.0.0.1:8888, 200 messages, 4 KiB per message, 60 s per long poll. */
    static final ChatOptions DEFAULTS = new ChatOptions(8888, InetAddress.getLoopbackAddress(), 200, 4096,
            Duration.ofSeconds(60));

    ChatOptions {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(maxWait, "maxWait");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in 0..65535: " + port);
        } else if (buffer < 1 || buffer > 1_000_000) {
            throw new IllegalArgumentException("--buffer must be in 1..1000000: " + buffer);
        } else if (maxMessage < 1 || maxMessage > 1 << 20) {
            throw new IllegalArgumentException("--max-message must be in 1..1048576: " + maxMessage);
        } else if (maxWait.isNegative() || maxWait.isZero() || maxWait.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("--max-wait must be more than 0 and at most 3600 seconds: " + maxWait);
        }
    }

    /** Whether the arguments ask for {@code --help} (or {@code -h}). */
    static boolean wantsHelp(String... args) {
        return words(args).stream().anyMatch(a -> a.equals("--help") || a.equals("-h"));
    }

    /**
     * Parses {@code args}. An argument holding spaces is split first, as {@code exec:exec} passes
     * {@code -Dexample.args} as one argument; blank ones are ignored.
     *
     * @throws IllegalArgumentException naming the bad option or value
     */
    static ChatOptions parse(String... args) {
        ChatOptions o = DEFAULTS;
        List<String> words = words(args);
        for (int i = 0; i < words.size(); i++) {
            String name = words.get(i);
            String value;
            int eq = name.indexOf('=');
            if (name.startsWith("--") && eq > 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < words.size()) {
                value = words.get(++i);
            } else {
                throw new IllegalArgumentException(known(name) ? name + " needs a value" : "unknown option: " + name);
            }
            o = with(o, name, value);
        }
        return o;
    }

    private static boolean known(String name) {
        return List.of("--port", "--address", "--buffer", "--max-message", "--max-wait").contains(name);
    }

    private static ChatOptions with(ChatOptions o, String name, String value) {
        return switch (name) {
            case "--port" -> new ChatOptions(integer(name, value), o.address, o.buffer, o.maxMessage, o.maxWait);
            case "--address" -> new ChatOptions(o.port, address(value), o.buffer, o.maxMessage, o.maxWait);
            case "--buffer" -> new ChatOptions(o.port, o.address, integer(name, value), o.maxMessage, o.maxWait);
            case "--max-message" -> new ChatOptions(o.port, o.address, o.buffer, integer(name, value), o.maxWait);
            case "--max-wait" -> new ChatOptions(o.port, o.address, o.buffer, o.maxMessage, seconds(name, value));
            default -> throw new IllegalArgumentException("unknown option: " + name);
        };
    }

    private static List<String> words(String... args) {
        List<String> words = new ArrayList<>();
        for (String a : Objects.requireNonNull(args, "args")) {
            Arrays.stream(a.strip().split("\\s+")).filter(s -> !s.isEmpty()).forEach(words::add);
        }
        return words;
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a whole number: " + value);
        }
    }

    private static Duration seconds(String name, String value) {
        try {
            BigDecimal s = new BigDecimal(value);
            if (s.signum() <= 0 || s.compareTo(BigDecimal.valueOf(3600)) > 0) {
                throw new IllegalArgumentException(name + " must be more than 0 and at most 3600 seconds: " + value);
            }
            return Duration.ofNanos(s.movePointRight(9).longValue());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " takes a number of seconds: " + value);
        }
    }

    private static InetAddress address(String value) {
        try {
            return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--address: unknown host: " + value);
        }
    }

    /** The server's request body limit: large enough for a message of {@code maxMessage} bytes however it is escaped. */
    long maxRequestBody() {
        return Math.max(64 * 1024, 6L * maxMessage + 1024);
    }
}
