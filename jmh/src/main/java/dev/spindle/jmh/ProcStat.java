package dev.spindle.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What Linux's {@code /proc} says about CPU time and memory, in clock ticks of 10 ms
 * ({@code USER_HZ}) and bytes. The measured programs use it to charge CPU to a server process
 * and to see how much of the machine other processes used meanwhile.
 *
 * <p><b>Thread-safe:</b> may be called from any thread; every call reads {@code /proc} afresh.
 */
final class ProcStat {
    /** Linux reports process and machine CPU times in these ticks per second. */
    static final int TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /** User + system ticks of process {@code pid} (all its threads). */
    static long cpuTicks(long pid) throws IOException {
        String[] f = statFields(pid);
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * User + system ticks of this JVM plus those of its children that have exited and been waited
     * for (a {@code wrk} run, once {@code waitFor} returned).
     */
    static long selfAndReapedChildrenTicks() throws IOException {
        String[] f = statFields(ProcessHandle.current().pid());
        return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }

    /** Busy ticks of the whole machine, all CPUs: everything but idle and iowait. */
    static long machineBusyTicks() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        String[] f = cpu.trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            if (i != 4 && i != 5) { // idle, iowait
                busy += Long.parseLong(f[i]);
            }
        }
        return busy;
    }

    /** Resident set size of process {@code pid} in bytes. */
    static long rssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
            }
        }
        throw new IOException("no VmRSS in /proc/" + pid + "/status");
    }

    /** Open file descriptors of process {@code pid}. */
    static int openFiles(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) s.count();
        }
    }

    /** Whether this machine has {@code /proc} as Linux lays it out. */
    static boolean available() {
        return Files.isReadable(Path.of("/proc/stat")) && Files.isReadable(Path.of("/proc/self/stat"));
    }

    /** The fields of {@code /proc/pid/stat} after the command name: index 0 is the state (field 3). */
    private static String[] statFields(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }
}
