package dev.spindle.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final HttpHandler A = (request, response) -> { };
    private static final HttpHandler B = (request, response) -> { };
    private static final HttpHandler C = (request, response) -> { };

    @Test
    void literalPathsAreFoundWithoutAllocatingAMatch() {
        Router r = new Router();
        r.add("GET", "/a", A);
        Router.Match m = r.find("GET", "/a");
        assertSame(A, m.handler());
        assertSame(m, r.find("GET", "/a"));
        assertEquals(Map.of(), m.params());
    }

    @Test
    void headFallsBackToGetUnlessItHasItsOwnHandler() {
        Router r = new Router();
        r.add("GET", "/a", A);
        r.add("GET", "/b/{x}", A);
        r.add("GET", "/c", A);
        r.add("HEAD", "/c", B);
        assertSame(A, r.find("HEAD", "/a").handler());
        assertSame(A, r.find("HEAD", "/b/1").handler());
        assertSame(B, r.find("HEAD", "/c").handler());
    }

    @Test
    void patternsAreTriedInRegistrationOrderAfterLiterals() {
        Router r = new Router();
        r.add("GET", "/users/{id}", A);
        r.add("GET", "/users/{name...}", B);
        r.add("GET", "/users/me", C);
        assertSame(C, r.find("GET", "/users/me").handler());
        assertSame(A, r.find("GET", "/users/7").handler());
        assertEquals(Map.of("id", "7"), r.find("GET", "/users/7").params());
        assertSame(B, r.find("GET", "/users/7/x").handler());
    }

    @Test
    void aLiteralWithAnotherMethodStillLetsAPatternMatch() {
        Router r = new Router();
        r.add("GET", "/users/me", A);
        r.add("POST", "/users/{id}", B);
        assertSame(B, r.find("POST", "/users/me").handler());
    }

    @Test
    void unknownPathsGet404AndKnownPathsWithAnotherMethod405() throws Exception {
        Router r = new Router();
        r.add("GET", "/a", A);
        r.add("POST", "/a", A);
        r.add("DELETE", "/p/{x}", A);
        r.add("PUT", "/{y}/q", A);
        assertSame(Router.NOT_FOUND, r.find("GET", "/nope").handler());
        assertEquals("GET, POST, HEAD", allowOf(r.find("PUT", "/a")));
        assertEquals("DELETE", allowOf(r.find("GET", "/p/1")));
        assertEquals("DELETE, PUT", allowOf(r.find("GET", "/p/q")));
    }

    /** The Allow value a 405 match would send, read through a response stand-in. */
    private static String allowOf(Router.Match m) throws Exception {
        String[] allow = new String[1];
        try (ServerFixture f = ServerFixture.start(s -> s.route("OPTIONS", "/x", m.handler()));
                RawClient c = f.connect()) {
            RawClient.Response res = c.send("OPTIONS /x HTTP/1.1\nHost: x\n\n").read();
            assertEquals(405, res.status());
            allow[0] = res.header("Allow");
        }
        return allow[0];
    }

    @Test
    void aSecondHandlerForTheSameMethodAndPatternIsRefused() {
        Router r = new Router();
        r.add("GET", "/a", A);
        r.add("GET", "/b/{x}", A);
        assertThrows(IllegalArgumentException.class, () -> r.add("GET", "/a", B));
        assertThrows(IllegalArgumentException.class, () -> r.add("GET", "/b/{x}", B));
        assertThrows(IllegalArgumentException.class, () -> r.add("G T", "/c", B));
    }

    @Test
    void toStringListsMethodsAndPatterns() {
        Router r = new Router();
        r.add("GET", "/a", A);
        r.add("POST", "/a", A);
        r.add("GET", "/b/{x}", A);
        assertEquals("Router[GET|POST /a, GET /b/{x}]", r.toString());
        assertEquals(3, r.size());
    }
}
