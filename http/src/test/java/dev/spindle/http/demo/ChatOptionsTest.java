package dev.spindle.http.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ChatOptionsTest {
    @Test
    void noOptionsGiveTheDefaults() throws Exception {
        ChatOptions d = ChatOptions.parse();
        assertEquals(ChatOptions.DEFAULTS, d);
        assertEquals(new ChatOptions(8888, InetAddress.getByName("127.0.0.1"), 200, 4096, Duration.ofSeconds(60)), d);
        assertEquals(d, ChatOptions.parse("", "  "), "exec:exec passes an empty -Dexample.args as one blank argument");
    }

    @Test
    void everyOptionIsParsedInBothForms() throws Exception {
        ChatOptions o = ChatOptions.parse("--port", "9000", "--address=0.0.0.0", "--buffer", "50", "--max-message=100",
                "--max-wait", "1.5");
        assertEquals(new ChatOptions(9000, InetAddress.getByName("0.0.0.0"), 50, 100, Duration.ofMillis(1500)), o);
        assertEquals(o, ChatOptions.parse("--port 9000 --address=0.0.0.0 --buffer 50 --max-message=100 --max-wait 1.5"),
                "one argument holding them all, as exec:exec passes -Dexample.args");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --prot 1              | unknown option: --prot
            -x                    | unknown option: -x
            9000                  | unknown option: 9000
            --port                | --port needs a value
            --port x              | --port takes a whole number: x
            --port 70000          | --port must be in 0..65535: 70000
            --port=-1             | --port must be in 0..65535: -1
            --buffer 0            | --buffer must be in 1..1000000: 0
            --max-message 0       | --max-message must be in 1..1048576: 0
            --max-wait 0          | --max-wait must be more than 0 and at most 3600 seconds: 0
            --max-wait 3601       | --max-wait must be more than 0 and at most 3600 seconds: 3601
            --max-wait soon       | --max-wait takes a number of seconds: soon
            --address [::1        | --address: unknown host: [::1
            """)
    void badOptionsAreNamedInTheMessage(String args, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> ChatOptions.parse(args)).getMessage());
    }

    @Test
    void helpIsFoundAnywhere() {
        assertTrue(ChatOptions.wantsHelp("--port", "1", "--help"));
        assertTrue(ChatOptions.wantsHelp("--port 1 -h"));
        assertFalse(ChatOptions.wantsHelp("--port", "1"));
        assertTrue(ChatOptions.USAGE.startsWith("Usage: ChatServer [options]\n"));
        for (String option : new String[] {"--port", "--address", "--buffer", "--max-message", "--max-wait", "--help"}) {
            assertTrue(ChatOptions.USAGE.contains("  " + option + " "), option);
        }
    }

    @Test
    void theRequestLimitFitsTheLargestMessageHoweverItIsEscaped() {
        assertEquals(64 * 1024, ChatOptions.DEFAULTS.maxRequestBody());
        ChatOptions big = new ChatOptions(0, InetAddress.getLoopbackAddress(), 1, 100_000, Duration.ofSeconds(1));
        assertEquals(601_024, big.maxRequestBody());
    }

    @Test
    void nullsAreRejected() {
        assertThrows(NullPointerException.class, () -> new ChatOptions(0, null, 1, 1, Duration.ofSeconds(1)));
        assertThrows(NullPointerException.class, () -> ChatOptions.parse((String[]) null));
    }
}
