package dev.spindle.jmh;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the client's CPU time per operation that a benchmark measured with {@link ClientCpu},
 * as the secondary result {@code clientCpu} (ms/op): {@code -prof dev.spindle.jmh.ClientCpuProfiler},
 * and the CPU time of its server process in the same parts, where it measured that, as
 * {@code serverCpu} (ms/op, in steps of 10 ms per part). Benchmarks that do not measure them get
 * no extra row.
 *
 * <p><b>Thread-safe:</b> JMH calls it from one thread of the forked JVM.
 */
public final class ClientCpuProfiler implements InternalProfiler {
    /** For JMH, which instantiates profilers reflectively. */
    public ClientCpuProfiler() {}

    @Override
    public String getDescription() {
        return "client CPU time per operation (process CPU of the measured part only), and the server's where measured";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        ClientCpu.take();
        ClientCpu.takeServer();
    }

    @Override
    public Collection<? extends Result> afterIteration(
            BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
        List<Result> rows = new ArrayList<>(2);
        double ms = ClientCpu.take();
        if (ms >= 0) {
            rows.add(new ScalarResult("clientCpu", ms, "ms/op", AggregationPolicy.AVG));
        }
        double server = ClientCpu.takeServer();
        if (server >= 0) {
            rows.add(new ScalarResult("serverCpu", server, "ms/op", AggregationPolicy.AVG));
        }
        return rows;
    }
}
