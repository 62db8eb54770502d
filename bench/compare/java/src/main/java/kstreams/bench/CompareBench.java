package kstreams.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * One measured Kafka Streams run of `npm run bench:compare`, the counterpart of bench/broker/streams-child.ts.
 * Arguments are `name=value` pairs (mode, topology, brokers, applicationId, stateDir, guarantee, commitIntervalMs,
 * input, and what the topology needs). Talks to the parent in lines: prints `started <epoch ms>`; a throughput run
 * then processes until the parent writes `stop` on stdin, a restoration run until every changelog partition is
 * restored and the client is RUNNING; last, it prints `result <json>` with its own CPU time and peak RSS.
 */
public final class CompareBench {
    private CompareBench() {}

    public static void main(String[] argv) throws Exception {
        BenchArgs args = BenchArgs.parse(argv);
        String mode = args.text("mode");
        switch (mode) {
            case "throughput" -> runThroughput(args);
            case "restoration" -> runRestoration(args);
            default -> throw new IllegalArgumentException("unknown mode '" + mode + "'");
        }
        // Kafka's client threads are not all daemons; the run is over once the result is out.
        System.exit(0);
    }

    private static void runThroughput(BenchArgs args) throws Exception {
        double cpuAtStart = ProcessFigures.cpuSeconds();
        long startedAtMs = System.currentTimeMillis();
        KafkaStreams streams = newStreams(args);
        System.out.println("started " + startedAtMs);
        streams.start();
        awaitStopLine();
        double cpuSeconds = ProcessFigures.cpuSeconds() - cpuAtStart;
        long peakRssBytes = ProcessFigures.peakRssBytes();
        close(streams);
        printResult(cpuSeconds, peakRssBytes, 0, 0, 0);
    }

    private static void runRestoration(BenchArgs args) throws Exception {
        int partitions = (int) args.number("restorePartitions");
        RestoreTracker tracker = new RestoreTracker();
        CountDownLatch running = new CountDownLatch(1);
        KafkaStreams streams = newStreams(args);
        streams.setGlobalStateRestoreListener(tracker);
        streams.setStateListener((next, previous) -> {
            if (next == KafkaStreams.State.RUNNING) running.countDown();
            if (next == KafkaStreams.State.ERROR) fail("the client went to ERROR");
        });
        double cpuAtStart = ProcessFigures.cpuSeconds();
        long startedAtNs = System.nanoTime();
        System.out.println("started " + System.currentTimeMillis());
        streams.start();
        running.await();
        // RUNNING alone would not do: with the state updater, restoration may still be under way.
        while (tracker.endedPartitions() < partitions) Thread.sleep(5);
        double elapsedMs = (System.nanoTime() - startedAtNs) / 1e6;
        double cpuSeconds = ProcessFigures.cpuSeconds() - cpuAtStart;
        long peakRssBytes = ProcessFigures.peakRssBytes();
        long entries = storeEntries(streams, args.text("store"));
        close(streams);
        printResult(cpuSeconds, peakRssBytes, tracker.restoredRecords(), elapsedMs, entries);
    }

    private static KafkaStreams newStreams(BenchArgs args) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args.text("applicationId"));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args.text("brokers"));
        props.put(StreamsConfig.STATE_DIR_CONFIG, args.text("stateDir"));
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee(args.text("guarantee")));
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, args.number("commitIntervalMs"));
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        KafkaStreams streams = new KafkaStreams(Topologies.of(args.text("topology"), args), props);
        streams.setUncaughtExceptionHandler(error -> {
            error.printStackTrace();
            fail("a stream thread died");
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        return streams;
    }

    private static void close(KafkaStreams streams) {
        streams.close(Duration.ofSeconds(30));
        streams.cleanUp();
    }

    private static String guarantee(String name) {
        return switch (name) {
            case "at_least_once" -> StreamsConfig.AT_LEAST_ONCE;
            case "exactly_once" -> StreamsConfig.EXACTLY_ONCE_V2;
            default -> throw new IllegalArgumentException("unknown guarantee '" + name + "'");
        };
    }

    private static void awaitStopLine() throws IOException {
        BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = stdin.readLine(); line != null; line = stdin.readLine()) {
            if (line.trim().equals("stop")) return;
        }
        fail("stdin closed before the parent said stop");
    }

    /** Entries of the restored store, counted one by one: RocksDB's own figure is an estimate. */
    private static long storeEntries(KafkaStreams streams, String store) {
        var view = streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, Long>keyValueStore()));
        long entries = 0;
        try (KeyValueIterator<String, Long> all = view.all()) {
            for (; all.hasNext(); all.next()) entries++;
        }
        return entries;
    }

    private static void printResult(double cpuSeconds, long peakRssBytes, long restoredRecords, double elapsedMs, long storeEntries) {
        System.out.println(String.format(Locale.ROOT,
            "result {\"cpuSeconds\":%.3f,\"peakRssBytes\":%d,\"restoredRecords\":%d,\"elapsedMs\":%.1f,\"storeEntries\":%d}",
            cpuSeconds, peakRssBytes, restoredRecords, elapsedMs, storeEntries));
    }

    /** Ends the JVM at once: a run that cannot finish must not leave the parent waiting for a clean shutdown. */
    private static void fail(String reason) {
        System.err.println("[kafka-streams] " + reason);
        Runtime.getRuntime().halt(1);
    }
}
