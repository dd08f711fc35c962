package dev.spindle.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliTest {
    private static final Set<String> KNOWN = Set.of("rounds", "connections", "servers");

    @Test
    void readsValuesAndFallsBackToDefaults() {
        Cli cli = new Cli(new String[] {"--rounds", "2", "--connections", "50, 1000"}, KNOWN);
        assertEquals(2, cli.integer("rounds", 3));
        assertEquals(List.of(50, 1000), cli.integers("connections", List.of()));
        assertEquals(List.of("nio"), cli.list("servers", List.of("nio")));
    }

    @Test
    void unknownOptionFailsWithTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Cli(new String[] {"--round", "2"}, KNOWN));
        assertTrue(e.getMessage().startsWith("unknown option '--round'; known: --"), e.getMessage());
    }

    @Test
    void optionWithoutValueFails() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Cli(new String[] {"--rounds"}, KNOWN));
        assertEquals("option --rounds needs a value", e.getMessage());
    }

    @Test
    void negativeCountFails() {
        Cli cli = new Cli(new String[] {"--rounds", "-1"}, KNOWN);
        var e = assertThrows(IllegalArgumentException.class, () -> cli.integer("rounds", 3));
        assertEquals("--rounds must not be negative: -1", e.getMessage());
    }
}
