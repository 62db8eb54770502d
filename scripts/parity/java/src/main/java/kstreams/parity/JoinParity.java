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
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.CogroupedKStream;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.Joined;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.StreamJoined;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.ValueJoiner;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.BuiltInDslStoreSuppliers;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Runs join scenarios (the JSON written by scripts/parity/joins/run-join-parity.ts) through Kafka Streams' own
 * TopologyTestDriver and prints one JSON line per scenario: the output topic's records in order and the task's
 * dropped-records count. Topics are `left` and `right` (the right one is the table, or the global table, when the
 * join has one) and `out`; every joiner writes `left|right`, so which side a value came from shows.
 */
public final class JoinParity {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ValueJoiner<String, String, String> JOINER = (left, right) -> left + "|" + right;
    /** Foreign keys and global-table keys are the value's part before `/`; a null value or one starting `-/` has none. */
    private static final Function<String, String> FOREIGN_KEY = value ->
        value == null || value.startsWith("-/") ? null : value.split("/")[0];

    private JoinParity() {
    }

    public static void main(final String[] args) throws IOException {
        final JsonNode scenarios;
        try (InputStream in = args.length > 0 ? Files.newInputStream(Path.of(args[0])) : System.in) {
            scenarios = JSON.readTree(in);
        }
        final Path stateDir = Files.createTempDirectory("kstreams-join-parity-");
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
            buildTopology(builder, scenario.get("join"));
            try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), config(scenario, stateDir), Instant.EPOCH)) {
                final Map<String, TestInputTopic<String, String>> inputs = new HashMap<>();
                for (final String topic : new String[] {"left", "right"}) {
                    inputs.put(topic, driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.String().serializer()));
                }
                for (final JsonNode record : scenario.get("records")) {
                    inputs.get(record.get("topic").asText())
                        .pipeInput(textOrNull(record.get("key")), textOrNull(record.get("value")), record.get("timestamp").asLong());
                }
                result.set("records", outputRecords(driver));
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
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0L);
        // Both throttles run on wall-clock time, which the driver never advances: emit at every chance instead.
        props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_WINDOWED_AGGREGATION, 0L);
        props.put(StreamsConfig.InternalConfig.EMIT_INTERVAL_MS_KSTREAMS_OUTER_JOIN_SPURIOUS_RESULTS_FIX, 0L);
        final JsonNode store = scenario.get("join").get("store");
        final boolean inMemory = store != null && "in-memory".equals(store.asText());
        props.put(StreamsConfig.DSL_STORE_SUPPLIERS_CLASS_CONFIG, inMemory
            ? BuiltInDslStoreSuppliers.InMemoryDslStoreSuppliers.class
            : BuiltInDslStoreSuppliers.RocksDBDslStoreSuppliers.class);
        return props;
    }

    private static void buildTopology(final StreamsBuilder builder, final JsonNode join) {
        final String kind = join.get("kind").asText();
        switch (join.get("type").asText()) {
            case "stream-stream" -> streamStream(builder, join, kind);
            case "stream-table" -> streamTable(builder, join, kind);
            case "table-table" -> tableTable(builder, join, kind);
            case "foreign-key" -> foreignKey(builder, kind);
            case "stream-global" -> streamGlobal(builder, kind);
            case "cogroup" -> cogroup(builder, join);
            default -> throw new IllegalArgumentException("unknown join type " + join.get("type"));
        }
    }

    private static KStream<String, String> stream(final StreamsBuilder builder, final String topic) {
        return builder.stream(topic, Consumed.with(Serdes.String(), Serdes.String()));
    }

    private static KTable<String, String> table(final StreamsBuilder builder, final String topic) {
        return builder.table(topic, Consumed.with(Serdes.String(), Serdes.String()));
    }

    private static void streamStream(final StreamsBuilder builder, final JsonNode join, final String kind) {
        final long before = join.get("beforeMs").asLong();
        final long after = join.get("afterMs").asLong();
        final JsonNode grace = join.get("graceMs");
        final Duration difference = Duration.ofMillis(Math.max(before, after));
        final JoinWindows windows = (grace.isNull()
            ? JoinWindows.ofTimeDifferenceWithNoGrace(difference)
            : JoinWindows.ofTimeDifferenceAndGrace(difference, Duration.ofMillis(grace.asLong())))
            .before(Duration.ofMillis(before))
            .after(Duration.ofMillis(after));
        final StreamJoined<String, String, String> joined = StreamJoined.with(Serdes.String(), Serdes.String(), Serdes.String());
        final KStream<String, String> left = stream(builder, "left");
        final KStream<String, String> right = join.path("self").asBoolean(false) ? left : stream(builder, "right");
        final KStream<String, String> result = switch (kind) {
            case "inner" -> left.join(right, JOINER, windows, joined);
            case "left" -> left.leftJoin(right, JOINER, windows, joined);
            case "outer" -> left.outerJoin(right, JOINER, windows, joined);
            default -> throw new IllegalArgumentException("unknown stream-stream join " + kind);
        };
        result.to("out", Produced.with(Serdes.String(), Serdes.String()));
    }

    private static void streamTable(final StreamsBuilder builder, final JsonNode join, final String kind) {
        final JsonNode retention = join.get("versionedRetentionMs");
        final KTable<String, String> table = retention.isNull()
            ? table(builder, "right")
            : builder.table("right", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String>as(Stores.persistentVersionedKeyValueStore("right-store", Duration.ofMillis(retention.asLong())))
                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()));
        final JsonNode grace = join.get("graceMs");
        Joined<String, String, String> joined = Joined.with(Serdes.String(), Serdes.String(), Serdes.String());
        if (!grace.isNull()) {
            joined = joined.withGracePeriod(Duration.ofMillis(grace.asLong()));
        }
        final KStream<String, String> left = stream(builder, "left");
        final KStream<String, String> result = "left".equals(kind) ? left.leftJoin(table, JOINER, joined) : left.join(table, JOINER, joined);
        result.to("out", Produced.with(Serdes.String(), Serdes.String()));
    }

    private static void tableTable(final StreamsBuilder builder, final JsonNode join, final String kind) {
        final KTable<String, String> left = table(builder, "left");
        final KTable<String, String> right = table(builder, "right");
        final KTable<String, String> result;
        if (join.get("materialized").asBoolean()) {
            final Materialized<String, String, KeyValueStore<Bytes, byte[]>> store =
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("join-store")
                    .withKeySerde(Serdes.String()).withValueSerde(Serdes.String()).withCachingDisabled();
            result = switch (kind) {
                case "inner" -> left.join(right, JOINER, store);
                case "left" -> left.leftJoin(right, JOINER, store);
                case "outer" -> left.outerJoin(right, JOINER, store);
                default -> throw new IllegalArgumentException("unknown table-table join " + kind);
            };
        } else {
            result = switch (kind) {
                case "inner" -> left.join(right, JOINER);
                case "left" -> left.leftJoin(right, JOINER);
                case "outer" -> left.outerJoin(right, JOINER);
                default -> throw new IllegalArgumentException("unknown table-table join " + kind);
            };
        }
        result.toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
    }

    private static void foreignKey(final StreamsBuilder builder, final String kind) {
        final KTable<String, String> left = table(builder, "left");
        final KTable<String, String> right = table(builder, "right");
        final KTable<String, String> result = "left".equals(kind)
            ? left.leftJoin(right, FOREIGN_KEY, JOINER)
            : left.join(right, FOREIGN_KEY, JOINER);
        result.toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
    }

    private static void streamGlobal(final StreamsBuilder builder, final String kind) {
        final GlobalKTable<String, String> global = builder.globalTable("right", Consumed.with(Serdes.String(), Serdes.String()));
        final KStream<String, String> left = stream(builder, "left");
        final KStream<String, String> result = "left".equals(kind)
            ? left.leftJoin(global, (key, value) -> FOREIGN_KEY.apply(value), JOINER)
            : left.join(global, (key, value) -> FOREIGN_KEY.apply(value), JOINER);
        result.to("out", Produced.with(Serdes.String(), Serdes.String()));
    }

    /** Both inputs fold into one aggregate, marking each value with its side: `i,Lv1,Rv2,…`. */
    private static void cogroup(final StreamsBuilder builder, final JsonNode join) {
        final CogroupedKStream<String, String> cogrouped = stream(builder, "left")
            .groupByKey(Grouped.with(Serdes.String(), Serdes.String()))
            .<String>cogroup((key, value, aggregate) -> aggregate + ",L" + value)
            .cogroup(stream(builder, "right").groupByKey(Grouped.with(Serdes.String(), Serdes.String())),
                (key, value, aggregate) -> aggregate + ",R" + value);
        final JsonNode windows = join.get("windows");
        if (windows.isNull()) {
            cogrouped.aggregate(() -> "i", Materialized.<String, String, KeyValueStore<Bytes, byte[]>>with(Serdes.String(), Serdes.String())
                    .withCachingDisabled())
                .toStream().to("out", Produced.with(Serdes.String(), Serdes.String()));
            return;
        }
        final Duration grace = Duration.ofMillis(windows.get("graceMs").asLong());
        final KTable<Windowed<String>, String> result = switch (windows.get("type").asText()) {
            case "time" -> cogrouped.windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(windows.get("sizeMs").asLong()), grace))
                .aggregate(() -> "i", Materialized.<String, String, WindowStore<Bytes, byte[]>>with(Serdes.String(), Serdes.String()).withCachingDisabled());
            case "sliding" -> cogrouped.windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(windows.get("timeDifferenceMs").asLong()), grace))
                .aggregate(() -> "i", Materialized.<String, String, WindowStore<Bytes, byte[]>>with(Serdes.String(), Serdes.String()).withCachingDisabled());
            case "session" -> cogrouped.windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(windows.get("gapMs").asLong()), grace))
                .aggregate(() -> "i", (key, older, newer) -> older + "|" + newer,
                    Materialized.<String, String, SessionStore<Bytes, byte[]>>with(Serdes.String(), Serdes.String()).withCachingDisabled());
            default -> throw new IllegalArgumentException("unknown windows " + windows);
        };
        result.toStream()
            .map((windowed, value) -> KeyValue.pair(windowed.key() + "@" + windowed.window().start() + "/" + windowed.window().end(), value))
            .to("out", Produced.with(Serdes.String(), Serdes.String()));
    }

    private static ArrayNode outputRecords(final TopologyTestDriver driver) {
        final ArrayNode records = JSON.createArrayNode();
        final TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.String().deserializer());
        for (final TestRecord<String, String> record : out.readRecordsToList()) {
            final ObjectNode node = records.addObject();
            node.put("key", record.key());
            node.put("value", record.value());
            node.put("timestamp", record.timestamp());
        }
        return records;
    }

    /** The task-level `dropped-records-total`: null keys or values, late records, expired store writes. */
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
