package dev.spindle.jmh;

import dev.spindle.runtime.IOLoop;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The settings and the fixture of the micro-benchmarks (JMH reads annotations and
 * {@code @Setup} methods of superclasses): ns per operation, one fork with
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (DESIGN rule 7), 3 × 1 s warm-up, 5 × 1 s
 * measured, and a fresh {@link IOLoop} per iteration, because JMH may move a benchmark to another
 * thread between iterations and a loop stays bound to the thread that first ran it. The loop keeps its
 * defaults (the blocked-loop detector on, as users get it).
 *
 * <p><b>Thread-safe:</b> not applicable; JMH confines each state object to its benchmark thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@State(Scope.Thread)
public abstract class OneLoopBenchmark {
    /** This iteration's loop; driven by the benchmark thread through {@code runSync}. */
    protected IOLoop loop;

    @Setup(Level.Iteration)
    public void startLoop() {
        loop = IOLoop.create();
    }

    @TearDown(Level.Iteration)
    public void closeLoop() {
        loop.close();
    }
}
