package dev.spindle.http.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java} block of the README compiles: it stands, line for line (indentation aside),
 * in a source file the build compiles ({@link ReadmeExamples}, or the seed's {@code FetchExamples}
 * that {@code FetchExamplesTest} also runs). Its {@code import} lines must be among that file's
 * imports, its other lines one contiguous run of the file's lines. Edit the README and the
 * example together, or this fails naming the block.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("..", "README.md");
    private static final List<Path> SOURCES = List.of(
            Path.of("src/test/java/dev/spindle/http/readme/ReadmeExamples.java"),
            Path.of("src/test/java/dev/spindle/http/client/FetchExamples.java"));

    /** The README's fenced blocks of language {@code java}, each as its lines. */
    static List<List<String>> javaBlocks(List<String> readme) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : readme) {
            if (current == null && line.strip().equals("```java")) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    /** Lines stripped of surrounding white space, blank ones dropped. */
    private static List<String> normalized(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    /** Whether {@code block} stands in {@code source}: its imports among the source's, the rest contiguous. */
    static boolean standsIn(List<String> block, List<String> source) {
        List<String> b = normalized(block);
        List<String> s = normalized(source);
        List<String> imports = b.stream().filter(l -> l.startsWith("import ")).toList();
        List<String> code = b.stream().filter(l -> !l.startsWith("import ")).toList();
        return s.containsAll(imports) && (code.isEmpty() || Collections.indexOfSubList(s, code) >= 0);
    }

    @Test
    void everyJavaBlockOfTheReadmeStandsInACompiledSource() throws IOException {
        List<List<String>> blocks = javaBlocks(Files.readAllLines(README));
        assertFalse(blocks.isEmpty(), "no java blocks found in " + README.toAbsolutePath());
        List<List<String>> sources = new ArrayList<>();
        for (Path p : SOURCES) {
            sources.add(Files.readAllLines(p));
        }
        List<String> missing = new ArrayList<>();
        for (List<String> block : blocks) {
            if (sources.stream().noneMatch(src -> standsIn(block, src))) {
                missing.add(normalized(block).stream().findFirst().orElse("(empty block)"));
            }
        }
        assertEquals(List.of(), missing, "README java blocks (first lines) not found in " + SOURCES
                + ": copy each into ReadmeExamples, line for line, so that it compiles");
    }

    @Test
    void theMatcherNeedsTheWholeBlockInOrder() {
        List<String> source = List.of("import a.B;", "", "void m() {", "    int x = 1;", "    int y = 2;", "}");
        assertTrue(standsIn(List.of("import a.B;", "int x = 1;", "  int y = 2;"), source));
        assertFalse(standsIn(List.of("int y = 2;", "int x = 1;"), source)); // Out of order.
        assertFalse(standsIn(List.of("import a.C;", "int x = 1;"), source)); // Import missing.
        assertFalse(standsIn(List.of("int x = 1;", "int z = 3;"), source)); // A line changed.
        assertEquals(2, javaBlocks(List.of("```java", "a", "```", "```sh", "b", "```", "```java", "c", "```")).size());
    }
}
