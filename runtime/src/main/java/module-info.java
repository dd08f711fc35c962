/**
 * Spindle's runtime: the {@code IOLoop}, coroutines on virtual threads, loop-local locks and
 * queues, non-blocking TCP, and JUnit 5 support for tests of loop code.
 *
 * <p>Coroutines are virtual threads scheduled by their loop, built through a JDK constructor
 * that needs {@code --add-opens java.base/java.lang=dev.spindle.runtime} on the module path
 * ({@code =ALL-UNNAMED} on the class path).
 *
 * <p>{@code dev.spindle.runtime.internal} is exported to {@code dev.spindle.http} only; the
 * examples are not exported. JUnit is needed at compile time only, by
 * {@code dev.spindle.runtime.testing}, whose {@code @LoopTest} extension JUnit instantiates
 * reflectively.
 */
@SuppressWarnings("module") // dev.spindle.http, the target of the qualified export, is built after this module.
module dev.spindle.runtime {
    requires transitive java.logging; // LogRecorder and ExpectLog hand out LogRecords
    requires java.management;
    requires jdk.jfr;
    requires static org.junit.jupiter.api;
    requires static org.junit.platform.commons;

    exports dev.spindle.runtime;
    exports dev.spindle.runtime.net;
    exports dev.spindle.runtime.sync;
    exports dev.spindle.runtime.testing;
    exports dev.spindle.runtime.internal to dev.spindle.http;

    opens dev.spindle.runtime.testing to org.junit.platform.commons;
}
