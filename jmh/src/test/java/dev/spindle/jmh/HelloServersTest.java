package dev.spindle.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HelloServersTest {
    @Test
    void selectKeepsTheCatalogueOrder() {
        List<String> names = HelloServers.select(HelloServers.throughput(), List.of("jdk", "nio")).stream()
                .map(HelloServers.Server::name).toList();
        assertEquals(List.of("nio", "jdk"), names);
    }

    @Test
    void selectingNothingMeansAll() {
        assertEquals(HelloServers.idleMemory(), HelloServers.select(HelloServers.idleMemory(), List.of()));
    }

    @Test
    void unknownServerNameFailsWithTheKnownOnes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> HelloServers.select(HelloServers.throughput(), List.of("tomcat")));
        assertTrue(e.getMessage().startsWith("unknown server 'tomcat'; known: [spindle, spindle2, nio, netty, netty2"), e.getMessage());
    }

    @Test
    void everyComparisonHasTheBaseline() {
        assertTrue(HelloServers.throughput().stream().anyMatch(s -> s.name().equals(HelloServers.BASELINE)));
        assertTrue(HelloServers.idleMemory().stream().anyMatch(s -> s.name().equals(HelloServers.BASELINE)));
    }

    static Stream<HelloServers.Server> everyServer() {
        return Stream.concat(HelloServers.throughput().stream(), HelloServers.idleMemory().stream()).distinct();
    }

    /** Each server in its own JVM, as the measured programs run it: it answers, reports its heap, and exits with its parent's pipe. */
    @ParameterizedTest
    @MethodSource("everyServer")
    void serverAnswersGetAndReportsItsHeap(HelloServers.Server server) throws Exception {
        try (HelloServers.Running running = server.start()) {
            running.checkAnswers();
            String heap = running.jvm().ask("heap", "HEAP ");
            assertTrue(Long.parseLong(heap.substring(5).strip()) > 0, heap);
        }
    }
}
