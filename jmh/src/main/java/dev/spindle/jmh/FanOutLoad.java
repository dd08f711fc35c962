package dev.spindle.jmh;

import dev.spindle.http.client.DelayServer;
import java.io.IOException;
import java.util.List;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What one fan-out of {@link FanOutBenchmark} fetches: {@link #requests} concurrent GETs to a
 * server in a child JVM ({@code DelayServer} of the http module's tests: one NIO thread that
 * answers each request after {@link #delayMs}), over new connections or a warm keep-alive pool
 * ({@link #connections}).
 *
 * <p>One server JVM per trial, so that it is warm (compiled) like the clients it serves, and a
 * fresh ephemeral port per iteration: the connections of the last one are gone, and no port
 * collects TIME_WAIT entries. The clients leave their connections open after the measured
 * fan-out, and {@link #stopServer()} has the server close all of them, and its listening socket,
 * before they close theirs, so the TIME_WAIT entries stay on the server's old port instead of
 * taking 10,000 ephemeral ports of this machine for a minute. The server then listens on a new
 * port, for the next iteration.
 *
 * <p><b>Thread-safe:</b> not applicable; JMH calls it from its benchmark thread.
 */
@State(Scope.Benchmark)
public class FanOutLoad {
    /** Concurrent GETs per fan-out. */
    @Param({"100", "1000", "10000"})
    public int requests;

    /** {@code new}: every request opens a connection; {@code keepAlive}: one per request is already open. */
    @Param({"new", "keepAlive"})
    public String connections;

    /** How long the server waits before answering each request. */
    @Param({"100"})
    public int delayMs;

    private ChildJvm server;
    private int port;
    /** Whether {@link #stopServer()} has ended this iteration's connections. */
    private boolean stopped;

    @Setup(Level.Trial)
    public void startServer() throws IOException {
        if (!connections.equals("new") && !connections.equals("keepAlive")) {
            throw new IllegalArgumentException("connections: new or keepAlive, not '" + connections + "'");
        }
        server = ChildJvm.start("delay-server", DelayServer.class, List.of("-Xss256k"), List.of(Integer.toString(delayMs)));
        port = server.awaitPort();
    }

    /**
     * Ends the iteration on the server side (idempotent): the server closes every connection and
     * listens on a new port for the next iteration. Clients call it before they close theirs.
     */
    @TearDown(Level.Iteration)
    public void stopServer() throws IOException {
        if (!stopped) {
            stopped = true;
            port = Integer.parseInt(server.ask("next", "PORT ").substring(5).strip());
        }
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        stopped = false;
    }

    @TearDown(Level.Trial)
    public void endServer() {
        server.close();
    }

    /** The server JVM's CPU ticks (10 ms each, user + system, all its threads) so far. */
    long serverCpuTicks() throws IOException {
        return ProcStat.cpuTicks(server.pid());
    }

    boolean keepAlive() {
        return connections.equals("keepAlive");
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port + "/";
    }

    /** Fails the benchmark unless every request of the fan-out got a 200. */
    int check(int ok) {
        if (ok != requests) {
            throw new IllegalStateException(ok + " of " + requests + " requests got a 200");
        }
        return ok;
    }
}
