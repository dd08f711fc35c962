package dev.spindle.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SuiteReportTest {
    @Test
    void baselinesAreNamedPerSubject() {
        assertEquals("floorParkUnparkOnMinimalCarrier", SuiteReport.baselineOf("AwaitBenchmark", "spindleAwaitRoundTrip"));
        assertEquals("floorCallbackHopOnMinimalCarrier", SuiteReport.baselineOf("AwaitBenchmark", "spindleCallbackHop"));
        assertEquals("platformThreadsStartJoin", SuiteReport.baselineOf("SpawnBenchmark", "spindleSpawnAwait"));
        assertEquals("platformThreadsReentrantLock", SuiteReport.baselineOf("SyncBenchmark", "spindleLockAcquireRelease"));
        assertEquals("platformThreadsSemaphore", SuiteReport.baselineOf("SyncBenchmark", "jucInCoroutineSemaphore"));
        assertEquals("platformThreadsArrayBlockingQueueRoundTrip",
                SuiteReport.baselineOf("SyncBenchmark", "spindleQueueRoundTrip"));
        assertEquals("virtualThreadPerRequest", SuiteReport.baselineOf("FanOutBenchmark", "spindleOneLoop"));
    }

    @Test
    void aClassWithoutBaselineIsItsOwn() {
        assertEquals("other", SuiteReport.baselineOf("SomeBenchmark", "other"));
    }
}
