package dev.parley.bench.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU and memory of processes, read from /proc: utime+stime of /proc/PID/stat (in clock ticks of 100 Hz, the
 * Linux USER_HZ), VmRSS of /proc/PID/status, and the whole machine's busy time from /proc/stat so the report can
 * tell how much CPU went to neither the server nor the generator (a disturbed run).
 */
public final class ProcStats {
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcStats() {
    }

    /** CPU seconds (user + system) used by the process so far, or NaN when it cannot be read. */
    public static double cpuSeconds(long pid) {
        if (pid <= 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After "pid (comm) ", field 3 (state) is f[0]; utime is field 14 and stime field 15.
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU seconds per thread group of a process: /proc/PID/task/TID/stat of every thread, by thread name with its
     * trailing number dropped (Linux keeps 15 characters of a name: "parley-sqlite-w", "multiThreadIoEv").
     */
    public static java.util.Map<String, Double> threadCpuSeconds(long pid) {
        java.util.Map<String, Double> out = new java.util.TreeMap<>();
        if (pid <= 0) {
            return out;
        }
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "");
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    out.merge(name, seconds, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended while we looked
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    public static long selfPid() {
        return ProcessHandle.current().pid();
    }

    /** Resident set size in bytes, or -1. */
    public static long rssBytes(long pid) {
        return statusKb(pid, "VmRSS:") * 1024;
    }

    private static long statusKb(long pid, String key) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Busy CPU seconds of the whole machine (all cores) so far: everything in /proc/stat's cpu line but idle and iowait. */
    public static double machineBusySeconds() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    public static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }
}
