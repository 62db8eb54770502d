package kstreams.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak RSS of this JVM: every thread (stream thread, clients' I/O threads, GC, JIT). */
final class ProcessFigures {
    private ProcessFigures() {}

    static double cpuSeconds() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return os.getProcessCpuTime() / 1e9;
    }

    /** VmHWM from /proc/self/status: the resident set's high-water mark, heap and native (RocksDB) alike. */
    static long peakRssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IOException("no VmHWM line in /proc/self/status");
    }
}
