package kstreams.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/** Counts restored records and the changelog partitions whose restoration has ended. */
final class RestoreTracker implements StateRestoreListener {
    private final Set<TopicPartition> ended = ConcurrentHashMap.newKeySet();
    private final AtomicLong restored = new AtomicLong();

    @Override
    public void onRestoreStart(TopicPartition partition, String storeName, long startingOffset, long endingOffset) {}

    @Override
    public void onBatchRestored(TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
        restored.addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
        ended.add(partition);
    }

    int endedPartitions() {
        return ended.size();
    }

    long restoredRecords() {
        return restored.get();
    }
}
