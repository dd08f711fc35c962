package dev.spindle.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.concurrent.Executor;

/**
 * Access to the JDK internals that let a virtual thread run on a scheduler of our choosing.
 *
 * <p><b>Thread-safe:</b> may be called from any thread.
 */
/*
 * Implementation notes:
 *
 * JDK 25 has no public API for a custom virtual-thread scheduler, but its package-private
 * java.lang.ThreadBuilders.VirtualThreadBuilder(Executor) constructor builds virtual threads
 * whose continuations are handed to that Executor. Reaching it needs
 * --add-opens java.base/java.lang=ALL-UNNAMED on the class path, or =dev.spindle.runtime on the
 * module path (DESIGN rule 7). Everything is looked up once,
 * here; a missing flag is remembered and reported each time a loop is created.
 */
final class VirtualThreads {
    private static final Constructor<?> BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final Field CARRIER_FIELD;
    private static final Executor DEFAULT_SCHEDULER;
    private static final RuntimeException FAILURE;

    static {
        initJdkPollers();
        Constructor<?> builder = null;
        MethodHandle carrier = null;
        Field carrierField = null;
        Executor defaultScheduler = null;
        RuntimeException failure = null;
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = c.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            carrierField = vt.getDeclaredField("carrierThread");
            carrierField.setAccessible(true);
            Field ds = vt.getDeclaredField("DEFAULT_SCHEDULER");
            ds.setAccessible(true);
            defaultScheduler = (Executor) ds.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = new IllegalStateException(missingOpensMessage(), e);
        }
        BUILDER = builder;
        CURRENT_CARRIER = carrier;
        CARRIER_FIELD = carrierField;
        DEFAULT_SCHEDULER = defaultScheduler;
        FAILURE = failure;
    }

    private VirtualThreads() {}

    /** The module-path form of the flag DESIGN rule 7 asks for. */
    static final String MODULE_PATH_FLAG = "--add-opens java.base/java.lang=dev.spindle.runtime";
    /** The class-path form of the flag. */
    static final String CLASS_PATH_FLAG = "--add-opens java.base/java.lang=ALL-UNNAMED";

    /** The flag in the form the running code needs: its module's name, or ALL-UNNAMED. */
    static String opensFlag() {
        Module m = VirtualThreads.class.getModule();
        return "--add-opens java.base/java.lang=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    static String missingOpensMessage() {
        String flag = opensFlag();
        String target = flag.substring(flag.lastIndexOf('=') + 1);
        boolean named = VirtualThreads.class.getModule().isNamed();
        return "Spindle runs coroutines as virtual threads scheduled by their IOLoop, which needs the JVM flag "
                + CLASS_PATH_FLAG + " when Spindle is on the class path, or " + MODULE_PATH_FLAG
                + " when it is on the module path (here it is on the " + (named ? "module" : "class") + " path: "
                + flag + "). Add it to the java command (java " + flag + (named ? " --module-path ..." : " -cp ...")
                + "), to Maven Surefire's <argLine>" + flag + "</argLine>, to JMH's @Fork(jvmArgsAppend ="
                + " {\"--add-opens\", \"java.base/java.lang=" + target + "\"}), or, on the class path, to an"
                + " executable JAR's manifest as 'Add-Opens: java.base/java.lang'.";
    }

    /** Throws the remembered failure if virtual threads cannot be built with a custom scheduler. */
    static void checkAvailable() {
        if (FAILURE != null) {
            throw new IllegalStateException(FAILURE.getMessage(), FAILURE.getCause());
        }
    }

    /** A builder of virtual threads whose continuations run on {@code scheduler}. */
    static Thread.Builder.OfVirtual builder(Executor scheduler) {
        checkAvailable();
        try {
            return (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build a virtual thread for " + scheduler, e);
        }
    }

    /** A builder of virtual threads on the JDK's default scheduler, wherever it is called from. */
    static Thread.Builder.OfVirtual defaultBuilder() {
        return builder(DEFAULT_SCHEDULER);
    }

    /** The platform thread under the current thread: itself if it is a platform thread. */
    static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    /** The carrier a virtual thread is mounted on now, or null when it is unmounted. */
    static Thread carrierOf(Thread virtual) {
        if (!virtual.isVirtual()) {
            return null;
        }
        try {
            return (Thread) CARRIER_FIELD.get(virtual);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    /*
     * DESIGN pitfall 1: on JDK 22-25 the socket pollers start as virtual threads on the
     * scheduler of the thread that first needs them. Starting them here, from a platform
     * thread, keeps them on the JDK's own scheduler and off any loop.
     */
    private static void initJdkPollers() {
        Runnable init = () -> {
            try {
                Class.forName("sun.nio.ch.Poller", true, ClassLoader.getPlatformClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // Another JDK layout: nothing to pin down.
            }
        };
        if (!Thread.currentThread().isVirtual()) {
            init.run();
            return;
        }
        Thread t = Thread.ofPlatform().daemon().name("spindle-poller-init").start(init);
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
