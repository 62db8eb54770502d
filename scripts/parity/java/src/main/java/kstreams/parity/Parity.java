package kstreams.parity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindowedKStream;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.Suppressed.BufferConfig;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs windowed-aggregation scenarios (the JSON written by scripts/parity/run-parity.ts) through Kafka Streams'
 * own TopologyTestDriver and prints, per scenario, one JSON line with what reached the output topic, in order,
 * and the task's dropped-records count. Reads the scenario array from the file named by the first argument, or
 * from standard input.
 */
public final class Parity {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INPUT = "in";
    private static final String OUTPUT = "out";

    private Parity() {
    }

    public static void main(final String[] args) throws IOException {
        final JsonNode scenarios;
        try (InputStream in = args.length > 0 ? Files.newInputStream(Path.of(args[0])) : System.in) {
            scenarios = JSON.readTree(in);
        }
        final Path stateDir = Files.createTempDirectory("kstreams-parity-");
        final PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        try {
            for (final JsonNode scenario : scenarios) {
                out.println(JSON.writeValueAsString(run(scenario, stateDir)));
            }
        } finally {
            out.flush();
            deleteRecursively(stateDir);
        }
    }

    private static ObjectNode run(final JsonNode scenario, final Path stateDir) {
        final ObjectNode result = JSON.createObjectNode();
        result.put("name", scenario.get("name").asText());
        try {
            final StreamsBuilder builder = new StreamsBuilder();
            buildTopology(builder, scenario);
            try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config(scenario, stateDir), Instant.EPOCH)) {
                final TestInputTopic<String, String> input =
                    driver.createInputTopic(INPUT, Serdes.String().serializer(), Serdes.String().serializer());
                for (final JsonNode record : scenario.get("records")) {
                    input.pipeInput(textOrNull(record.get("key")), textOrNull(record.get("value")), record.get("timestamp").asLong());
                }
                result.set("records", outputRecords(driver, usesLongValues(scenario)));
                result.put("droppedRecords", droppedRecords(driver));
            }
        } catch (final RuntimeException error) {
            result.put("error", error.getClass().getSimpleName() + ": " + error.getMessage());
        }
        return result;
    }

    private static String textOrNull(final JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Properties config(final JsonNode scenario, final Path stateDir) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parity");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // Caching off: every update is emitted. Caching on: the default cache size, flushed (as ours) by the
        // driver's commit after every input record.
        if (!scenario.get("caching").asBoolean()) {
            props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        }
        // onWindowClose emission is otherwise throttled by wall-clock time, which the driver never advances.
        props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 0L);
        final boolean inMemory = "in-memory".equals(scenario.get("store").asText());
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, inMemory
            ? BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class
            : BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers.class);
        return props;
    }

    private static boolean usesLongValues(final JsonNode scenario) {
        return "count".equals(scenario.get("aggregation").asText());
    }

    private static void buildTopology(final StreamsBuilder builder, final JsonNode scenario) {
        final KGroupedStream<String, String> grouped = builder
            .stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
            .groupByKey(Grouped.with(Serdes.String(), Serdes.String()));
        final JsonNode windows = scenario.get("windows");
        final String aggregation = scenario.get("aggregation").asText();
        final JsonNode retention = scenario.get("retentionMs");
        final Duration retentionPeriod = retention == null || retention.isNull() ? null : Duration.ofMillis(retention.asLong());
        final boolean onWindowClose = "onWindowClose".equals(scenario.get("emit").get("type").asText());
        final boolean caching = scenario.get("caching").asBoolean();
        if ("session".equals(windows.get("type").asText())) {
            SessionWindowedKStream<String, String> sessions = grouped.windowedBy(sessionWindows(windows));
            if (onWindowClose) {
                sessions = sessions.emitStrategy(EmitStrategy.onWindowClose());
            }
            aggregateSessions(sessions, aggregation, retentionPeriod, caching, scenario.get("emit"));
        } else {
            TimeWindowedKStream<String, String> windowed = "sliding".equals(windows.get("type").asText())
                ? grouped.windowedBy(slidingWindows(windows))
                : grouped.windowedBy(timeWindows(windows));
            if (onWindowClose) {
                windowed = windowed.emitStrategy(EmitStrategy.onWindowClose());
            }
            aggregateWindows(windowed, aggregation, retentionPeriod, caching, scenario.get("emit"));
        }
    }

    private static TimeWindows timeWindows(final JsonNode windows) {
        final Duration size = Duration.ofMillis(windows.get("sizeMs").asLong());
        final TimeWindows tumbling = windows.get("graceMs").isNull()
            ? TimeWindows.ofSizeWithNoGrace(size)
            : TimeWindows.ofSizeAndGrace(size, Duration.ofMillis(windows.get("graceMs").asLong()));
        final JsonNode advance = windows.get("advanceMs");
        return advance == null || advance.isNull() ? tumbling : tumbling.advanceBy(Duration.ofMillis(advance.asLong()));
    }

    private static SlidingWindows slidingWindows(final JsonNode windows) {
        final Duration difference = Duration.ofMillis(windows.get("timeDifferenceMs").asLong());
        return windows.get("graceMs").isNull()
            ? SlidingWindows.ofTimeDifferenceWithNoGrace(difference)
            : SlidingWindows.ofTimeDifferenceAndGrace(difference, Duration.ofMillis(windows.get("graceMs").asLong()));
    }

    private static SessionWindows sessionWindows(final JsonNode windows) {
        final Duration gap = Duration.ofMillis(windows.get("gapMs").asLong());
        return windows.get("graceMs").isNull()
            ? SessionWindows.ofInactivityGapWithNoGrace(gap)
            : SessionWindows.ofInactivityGapAndGrace(gap, Duration.ofMillis(windows.get("graceMs").asLong()));
    }

    /** The aggregations the TS runner defines identically: `+`-joined reduce, `,`-joined aggregate from "i". */
    private static void aggregateWindows(final TimeWindowedKStream<String, String> windowed, final String aggregation,
                                         final Duration retention, final boolean caching, final JsonNode emit) {
        switch (aggregation) {
            case "count" -> emit(windowed.count(windowStore(Serdes.Long(), retention, caching)), Serdes.Long(), emit);
            case "reduce" -> emit(windowed.reduce((a, b) -> a + "+" + b, windowStore(Serdes.String(), retention, caching)), Serdes.String(), emit);
            case "aggregate" -> emit(windowed.aggregate(() -> "i", (key, value, aggregate) -> aggregate + "," + value,
                windowStore(Serdes.String(), retention, caching)), Serdes.String(), emit);
            default -> throw new IllegalArgumentException("unknown aggregation " + aggregation);
        }
    }

    /** As {@link #aggregateWindows}; sessions' merger joins the older aggregate and the merged one with `|`. */
    private static void aggregateSessions(final SessionWindowedKStream<String, String> sessions, final String aggregation,
                                          final Duration retention, final boolean caching, final JsonNode emit) {
        switch (aggregation) {
            case "count" -> emit(sessions.count(sessionStore(Serdes.Long(), retention, caching)), Serdes.Long(), emit);
            case "reduce" -> emit(sessions.reduce((a, b) -> a + "+" + b, sessionStore(Serdes.String(), retention, caching)), Serdes.String(), emit);
            case "aggregate" -> emit(sessions.aggregate(() -> "i", (key, value, aggregate) -> aggregate + "," + value,
                (key, left, right) -> left + "|" + right, sessionStore(Serdes.String(), retention, caching)), Serdes.String(), emit);
            default -> throw new IllegalArgumentException("unknown aggregation " + aggregation);
        }
    }

    /** Caching as the scenario says; the retention when the scenario sets one. */
    private static <V> Materialized<String, V, WindowStore<Bytes, byte[]>> windowStore(final Serde<V> valueSerde, final Duration retention,
                                                                                        final boolean caching) {
        final Materialized<String, V, WindowStore<Bytes, byte[]>> with = Materialized.with(Serdes.String(), valueSerde);
        final Materialized<String, V, WindowStore<Bytes, byte[]>> store = caching ? with.withCachingEnabled() : with.withCachingDisabled();
        return retention == null ? store : store.withRetention(retention);
    }

    private static <V> Materialized<String, V, SessionStore<Bytes, byte[]>> sessionStore(final Serde<V> valueSerde, final Duration retention,
                                                                                          final boolean caching) {
        final Materialized<String, V, SessionStore<Bytes, byte[]>> with = Materialized.with(Serdes.String(), valueSerde);
        final Materialized<String, V, SessionStore<Bytes, byte[]>> store = caching ? with.withCachingEnabled() : with.withCachingDisabled();
        return retention == null ? store : store.withRetention(retention);
    }

    /** Applies the scenario's suppression, then writes `{key,start,end}` JSON keys to the output topic. */
    private static <V> void emit(final KTable<Windowed<String>, V> table, final Serde<V> valueSerde, final JsonNode emit) {
        final KTable<Windowed<String>, V> emitted = switch (emit.get("type").asText()) {
            case "suppressUntilWindowCloses" -> table.suppress(Suppressed.untilWindowCloses(BufferConfig.unbounded()));
            case "suppressUntilTimeLimit" -> table.suppress(Suppressed.untilTimeLimit(
                Duration.ofMillis(emit.get("timeLimitMs").asLong()), bufferConfig(emit)));
            default -> table;
        };
        emitted.toStream()
            .map((windowed, value) -> KeyValue.pair(windowKey(windowed), value))
            .to(OUTPUT, Produced.with(Serdes.String(), valueSerde));
    }

    private static BufferConfig<?> bufferConfig(final JsonNode emit) {
        final JsonNode maxRecords = emit.get("maxRecords");
        final JsonNode maxBytes = emit.get("maxBytes");
        if (maxRecords != null && !maxRecords.isNull()) {
            return BufferConfig.maxRecords(maxRecords.asLong()).emitEarlyWhenFull();
        }
        if (maxBytes != null && !maxBytes.isNull()) {
            return BufferConfig.maxBytes(maxBytes.asLong()).emitEarlyWhenFull();
        }
        return BufferConfig.unbounded();
    }

    private static String windowKey(final Windowed<String> windowed) {
        final ObjectNode key = JSON.createObjectNode();
        key.put("key", windowed.key());
        key.put("start", windowed.window().start());
        key.put("end", windowed.window().end());
        return key.toString();
    }

    private static ArrayNode outputRecords(final TopologyTestDriver driver, final boolean longValues) {
        final ArrayNode records = JSON.createArrayNode();
        if (longValues) {
            final TestOutputTopic<String, Long> out = driver.createOutputTopic(OUTPUT, Serdes.String().deserializer(), Serdes.Long().deserializer());
            for (final TestRecord<String, Long> record : out.readRecordsToList()) {
                records.add(outputRecord(record.key(), record.timestamp()).put("value", record.value()));
            }
        } else {
            final TestOutputTopic<String, String> out = driver.createOutputTopic(OUTPUT, Serdes.String().deserializer(), Serdes.String().deserializer());
            for (final TestRecord<String, String> record : out.readRecordsToList()) {
                records.add(outputRecord(record.key(), record.timestamp()).put("value", record.value()));
            }
        }
        return records;
    }

    private static ObjectNode outputRecord(final String windowKey, final long timestamp) {
        try {
            final ObjectNode record = (ObjectNode) JSON.readTree(windowKey);
            record.put("timestamp", timestamp);
            return record;
        } catch (final IOException error) {
            throw new IllegalStateException("unreadable output key " + windowKey, error);
        }
    }

    /** The task-level `dropped-records-total`: late records, records without key (or value), expired store writes. */
    private static long droppedRecords(final TopologyTestDriver driver) {
        long dropped = 0;
        for (final Map.Entry<MetricName, ? extends Metric> entry : driver.metrics().entrySet()) {
            final MetricName name = entry.getKey();
            if ("dropped-records-total".equals(name.name()) && "stream-task-metrics".equals(name.group())) {
                dropped += ((Number) entry.getValue().metricValue()).longValue();
            }
        }
        return dropped;
    }

    private static void deleteRecursively(final Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
