import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads topics with Kafka's own Java consumer, so that tests and the demo check kstreams' output with a reader that
 * shares nothing with kafkajs. No group: every partition is assigned and read from the beginning.
 *
 * Usage: CommittedReader <bootstrap> <read_committed|read_uncommitted> <to-end|follow> <topic>...
 * Prints one JSON line per record. `to-end` stops once every partition reached the end it had at start-up (the
 * last stable offset under read_committed) and then prints {"end":true}; `follow` reads until stdin closes.
 */
public final class CommittedReader {
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  public static void main(String[] args) throws Exception {
    if (args.length < 4) throw new IllegalArgumentException("usage: CommittedReader <bootstrap> <isolation> <to-end|follow> <topic>...");
    boolean follow = args[2].equals("follow");
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, args[1]);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // Fetch again at once instead of letting the broker hold an empty fetch for 500 ms: a follower then sees a
    // commit within milliseconds, which the tests rely on to tell open transactions from committed ones.
    props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "10");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    if (follow) watchStdin();
    BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (int i = 3; i < args.length; i++) {
        for (PartitionInfo info : partitionsOf(consumer, args[i])) {
          partitions.add(new TopicPartition(info.topic(), info.partition()));
        }
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = follow ? Map.of() : new HashMap<>(consumer.endOffsets(partitions));
      while (follow || !reachedEnds(consumer, ends)) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) writeRecord(out, record);
        out.flush();
      }
      out.write("{\"end\":true}\n");
      out.flush();
    }
  }

  /**
   * The topic's partitions. A broker that has just created the topic may answer its metadata without partitions for a
   * moment (`partitionsFor` then returns an empty list, and a reader to the end would stop at once, reading nothing):
   * asked again until it has some, failing after 30 s.
   */
  private static List<PartitionInfo> partitionsOf(KafkaConsumer<byte[], byte[]> consumer, String topic) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    for (;;) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos != null && !infos.isEmpty()) return infos;
      if (System.currentTimeMillis() > deadline) throw new IllegalStateException("topic " + topic + " has no partitions");
      Thread.sleep(100);
    }
  }

  private static boolean reachedEnds(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    ends.entrySet().removeIf((e) -> consumer.position(e.getKey()) >= e.getValue());
    return ends.isEmpty();
  }

  /** A follower lives as long as whoever reads its output: it exits when its stdin reaches end of file. */
  private static void watchStdin() {
    Thread watcher = new Thread(() -> {
      try {
        while (System.in.read() >= 0) {
          // Input is ignored; only its end matters.
        }
      } catch (Exception ignored) {
        // A broken stdin means the parent is gone as well.
      }
      System.exit(0);
    });
    watcher.setDaemon(true);
    watcher.start();
  }

  private static void writeRecord(BufferedWriter out, ConsumerRecord<byte[], byte[]> record) throws Exception {
    StringBuilder line = new StringBuilder(256);
    line.append("{\"topic\":").append(quote(record.topic()));
    line.append(",\"partition\":").append(record.partition());
    line.append(",\"offset\":").append(record.offset());
    line.append(",\"timestamp\":").append(record.timestamp());
    line.append(",\"key\":").append(bytes(record.key()));
    line.append(",\"value\":").append(bytes(record.value()));
    line.append(",\"headers\":[");
    boolean first = true;
    for (Header header : record.headers()) {
      if (!first) line.append(',');
      first = false;
      line.append('[').append(quote(header.key())).append(',').append(bytes(header.value())).append(']');
    }
    line.append("]}\n");
    out.write(line.toString());
  }

  private static String bytes(byte[] value) {
    return value == null ? "null" : "\"" + BASE64.encodeToString(value) + "\"";
  }

  private static String quote(String text) {
    StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') quoted.append('\\').append(c);
      else if (c < 0x20) quoted.append(String.format("\\u%04x", (int) c));
      else quoted.append(c);
    }
    return quoted.append('"').toString();
  }
}
