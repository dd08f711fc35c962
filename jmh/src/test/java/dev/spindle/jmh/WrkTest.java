package dev.spindle.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WrkTest {
    /** What wrk 4.1 printed for a run against NioHelloServer, verbatim. */
    private static final String RUN = """
            Running 1s test @ http://127.0.0.1:37557/
              1 threads and 20 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    18.37ms   46.17ms 224.08ms   89.61%
                Req/Sec    16.98k    14.89k   50.73k    75.00%
              Latency Distribution
                 50%  455.00us
                 75%    5.29ms
                 90%   71.17ms
                 99%  209.01ms
              13977 requests in 1.01s, 1.72MB read
            Requests/sec:  13786.59
            Transfer/sec:      1.70MB
            """;

    @Test
    void parsesRequestsRateAndP99() {
        Wrk.Result r = Wrk.parse(RUN);
        assertEquals(13977, r.requests());
        assertEquals(13786.59, r.perSecond(), 1e-9);
        assertEquals(209.01, r.p99Millis(), 1e-9);
        assertEquals(0, r.non2xx());
        assertEquals(0, r.socketErrors());
    }

    @Test
    void p99InMicrosecondsAndSecondsBecomesMilliseconds() {
        assertEquals(0.455, Wrk.parse("  Latency Distribution\n     99%  455.00us\n").p99Millis(), 1e-9);
        assertEquals(1500, Wrk.parse("  Latency Distribution\n     99%    1.50s\n").p99Millis(), 1e-9);
    }

    @Test
    void countsErrorsAndNon2xxResponses() {
        Wrk.Result r = Wrk.parse(RUN.replace("Requests/sec", """
                  Socket errors: connect 3, read 4, write 0, timeout 12
                  Non-2xx or 3xx responses: 7
                Requests/sec"""));
        assertEquals(19, r.socketErrors());
        assertEquals(7, r.non2xx());
    }

    @Test
    void outputWithoutResultsParsesAsNothing() {
        Wrk.Result r = Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n");
        assertEquals(0, r.requests());
        assertTrue(Double.isNaN(r.p99Millis()));
    }
}
