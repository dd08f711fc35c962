package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PathPatternTest {
    private static Map<String, String> match(String pattern, String path) {
        Map<String, String> params = new HashMap<>();
        return PathPattern.parse(pattern).match(path, params) ? params : null;
    }

    @ParameterizedTest(name = "{0} matches {1}")
    @CsvSource(delimiter = '|', value = {
        "/                    | /                  | {}",
        "/a/b                 | /a/b               | {}",
        "/users/{id}          | /users/7           | {id=7}",
        "/users/{id}/posts    | /users/7/posts     | {id=7}",
        "/users/{id}          | /users/a%20b       | {id=a b}",
        "/static/{path...}    | /static/css/a.css  | {path=css/a.css}",
        "/static/{path...}    | /static/           | {path=}",
        "/{a}/{b}             | /x/y               | {a=x, b=y}",
        "/a/                  | /a/                | {}",
    })
    void matches(String pattern, String path, String params) {
        Map<String, String> m = match(pattern, path);
        assertEquals(params, m == null ? null : new java.util.TreeMap<>(m).toString());
    }

    @ParameterizedTest(name = "{0} does not match {1}")
    @CsvSource(delimiter = '|', value = {
        "/a/b              | /a",
        "/a                | /a/b",
        "/a                | /a/",
        "/a/               | /a",
        "/users/{id}       | /users/",
        "/users/{id}       | /users/7/x",
        "/users/{id}/posts | /users/7/post",
        "/static/{path...} | /static",
        "/ab               | /a",
        "/a                | *",
    })
    void doesNotMatch(String pattern, String path) {
        assertEquals(null, match(pattern, path));
    }

    @Test
    void aFailedMatchLeavesTheParametersAlone() {
        Map<String, String> params = new HashMap<>();
        assertFalse(PathPattern.parse("/{a}/b").match("/x/c", params));
        assertTrue(params.isEmpty());
    }

    @ParameterizedTest
    @CsvSource({"no-slash", "/{a}/{a}", "/{rest...}/x", "/a{b}", "/{}", "/{1x}", "/{a"})
    void malformedPatternsAreRefused(String pattern) {
        assertThrows(IllegalArgumentException.class, () -> PathPattern.parse(pattern));
    }

    @Test
    void literalPatternsAreRecognisedAndShown() {
        assertTrue(PathPattern.parse("/a/b").isLiteral());
        assertFalse(PathPattern.parse("/a/{b}").isLiteral());
        assertEquals("PathPattern[/a/{b}]", PathPattern.parse("/a/{b}").toString());
    }
}
