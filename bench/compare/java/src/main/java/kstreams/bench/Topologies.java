package kstreams.bench;

import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;

/**
 * The same topologies as bench/broker/workloads.ts, written with Kafka Streams' DSL. Stores are the DSL's
 * defaults: RocksDB, with the record cache (statestore.cache.max.bytes) at its default.
 */
final class Topologies {
    private Topologies() {}

    static Topology of(String kind, BenchArgs args) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> input = builder.stream(args.text("input"), Consumed.with(Serdes.String(), Serdes.String()));
        switch (kind) {
            case "filter+map" -> input
                .filter((user, value) -> !user.endsWith("0"))
                .map((user, value) -> KeyValue.pair(pageOf(value), value))
                .to(args.text("output"), Produced.with(Serdes.String(), Serdes.String()));
            case "groupBy+count" -> input
                .groupBy((user, value) -> pageOf(value), Grouped.with(Serdes.String(), Serdes.String()))
                .count(Materialized.as(args.text("store")))
                .toStream()
                .to(args.text("output"), Produced.with(Serdes.String(), Serdes.Long()));
            case "windowed count" -> input
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(args.number("windowSizeMs")), Duration.ofMillis(args.number("graceMs"))))
                .count()
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()))
                .toStream()
                .map((windowed, count) -> KeyValue.pair(windowed.key() + "@" + windowed.window().start(), count))
                .to(args.text("output"), Produced.with(Serdes.String(), Serdes.Long()));
            case "count by key" -> input.groupByKey().count(Materialized.as(args.text("store")));
            default -> throw new IllegalArgumentException("unknown topology '" + kind + "'");
        }
        return builder.build();
    }

    private static String pageOf(String value) {
        return value.substring(0, value.indexOf(';'));
    }
}
