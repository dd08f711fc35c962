package dev.spindle.runtime;

import dev.spindle.runtime.internal.Log;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers each open loop's {@link IOLoopMXBean} in the platform MBean server, and removes it
 * when the loop closes. Off with {@code -Dspindle.jmx=false}. A failure to register is logged
 * ({@code spindle.general}, DEBUG) and never stops a loop.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
/*
 * Implementation notes: starting the platform MBean server costs a few hundred milliseconds
 * (measured: ~340 ms on the reference machine), once per process. So that no loop's creator
 * pays it, registrations run in order on one daemon thread; unregistering a loop is queued
 * behind its registration.
 */
final class LoopMXBeans {
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("spindle.jmx"));
    /** One thread, so that each loop's unregistration follows its registration. */
    private static final ExecutorService JMX = BackgroundThreads.pool("spindle-jmx", false, 0, 1,
            Duration.ofSeconds(5), new LinkedBlockingQueue<>());

    private LoopMXBeans() {}

    static void register(IOLoop loop) {
        if (ENABLED) {
            JMX.execute(() -> registerNow(loop));
        }
    }

    static void unregister(IOLoop loop) {
        if (ENABLED) {
            JMX.execute(() -> unregisterNow(loop));
        }
    }

    /** Waits until the registrations queued so far are done; for tests. */
    static void flush() throws Exception {
        JMX.submit(() -> { }).get(30, TimeUnit.SECONDS);
    }

    private static void registerNow(IOLoop loop) {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(
                    new StandardMBean(new Bean(loop), IOLoopMXBean.class, true), name(loop));
        } catch (JMException | RuntimeException e) {
            Log.GENERAL.log(System.Logger.Level.DEBUG, "cannot register the MXBean of " + loop.name(), e);
        }
    }

    private static void unregisterNow(IOLoop loop) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name(loop));
        } catch (JMException | RuntimeException e) {
            Log.GENERAL.log(System.Logger.Level.DEBUG, "cannot unregister the MXBean of " + loop.name(), e);
        }
    }

    static ObjectName name(IOLoop loop) throws JMException {
        return new ObjectName("dev.spindle:type=IOLoop,name=" + loop.name()); // Names are IOLoop-<n>.
    }

    /** The MXBean: a thin view of the loop. */
    private record Bean(IOLoop loop) implements IOLoopMXBean {
        @Override
        public String getName() {
            return loop.name();
        }

        @Override
        public String getDescription() {
            return loop.toString();
        }

        @Override
        public int getCoroutineCount() {
            return loop.coroutines.size();
        }

        @Override
        public long getBlockingThresholdMillis() {
            return loop.blockingThreshold().toMillis();
        }

        @Override
        public void setBlockingThresholdMillis(long millis) {
            loop.setBlockingThreshold(Duration.ofMillis(millis));
        }

        @Override
        public String dumpCoroutines() {
            return loop.dumpCoroutines();
        }
    }
}
