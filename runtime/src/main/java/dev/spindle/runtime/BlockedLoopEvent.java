package dev.spindle.runtime;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * The JFR event of the blocked-loop detector: one task held a loop's carrier longer than the
 * loop's threshold. Committed once per incident, when the watchdog notices it.
 *
 * <p><b>Thread-safe:</b> created and committed by the watchdog thread only.
 */
@Name("dev.spindle.BlockedLoop")
@Label("Blocked IOLoop")
@Category("Spindle")
@Description("A task (callback, timer, I/O handler, or a coroutine between two parks) held an IOLoop's"
        + " carrier longer than the blocking threshold")
@StackTrace(false) // The watchdog's own stack says nothing; the blocked stack is a field.
final class BlockedLoopEvent extends jdk.jfr.Event {
    @Label("Loop")
    String loop;

    @Label("Coroutine")
    @Description("The coroutine holding the carrier; null for a plain callback")
    String holder;

    @Label("Blocked For")
    @Description("How long the task had held the carrier when it was noticed")
    @Timespan(Timespan.NANOSECONDS)
    long blockedFor;

    @Label("Threshold")
    @Timespan(Timespan.NANOSECONDS)
    long threshold;

    @Label("Blocked Stack")
    @Description("Frames of the code holding the carrier")
    String blockedStack;
}
