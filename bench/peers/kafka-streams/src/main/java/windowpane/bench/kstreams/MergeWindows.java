package windowpane.bench.kstreams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Stage after the shuffle (unkeyed input), one per repartition partition: adds each sensor's readings
 * into its tumbling windows, and emits a window once the watermark of every input partition has
 * reached its end (the minimum of the watermarks {@link ShuffleBySensor} sends), so that a
 * partition that is behind (or an end marker seen first on one partition) never closes a window
 * whose readings are still on their way from another.
 */
public final class MergeWindows implements Processor<String, Shuffled, String, WindowResult> {
    static final String WINDOWS = "merge-windows";
    static final String WATERMARKS = "merge-watermarks";

    private final long windowMs;
    private final int inputPartitions;
    private ProcessorContext<String, WindowResult> context;
    /** Key: window start (19 digits, so the store's byte order is time order), a space, the sensor id. */
    private KeyValueStore<String, SumCount> windows;
    private KeyValueStore<Integer, Long> watermarkStore;
    private final Map<Integer, Long> watermarks = new HashMap<>();
    private long closedThrough = Long.MIN_VALUE;

    MergeWindows(long windowMs, int inputPartitions) {
        this.windowMs = windowMs;
        this.inputPartitions = inputPartitions;
    }

    @Override
    public void init(ProcessorContext<String, WindowResult> context) {
        this.context = context;
        this.windows = context.getStateStore(WINDOWS);
        this.watermarkStore = context.getStateStore(WATERMARKS);
        try (KeyValueIterator<Integer, Long> it = watermarkStore.all()) {
            it.forEachRemaining(kv -> watermarks.put(kv.key, kv.value));
        }
        closedThrough = minWatermark();
    }

    private long minWatermark() {
        long min = Long.MAX_VALUE;
        for (int p = 0; p < inputPartitions; p++) {
            min = Math.min(min, watermarks.getOrDefault(p, Long.MIN_VALUE));
        }
        return min;
    }

    private static String key(long windowStart, String sensorId) {
        String digits = Long.toString(windowStart);
        StringBuilder key = new StringBuilder(20 + sensorId.length());
        for (int i = digits.length(); i < 19; i++) {
            key.append('0');
        }
        return key.append(digits).append(' ').append(sensorId).toString();
    }

    @Override
    public void process(Record<String, Shuffled> record) {
        Shuffled s = record.value();
        if (s.isWatermark()) {
            Long previous = watermarks.get(s.from);
            if (previous != null && previous >= s.watermark) {
                return;
            }
            watermarks.put(s.from, s.watermark);
            watermarkStore.put(s.from, s.watermark);
            long min = minWatermark();
            if (min > closedThrough) {
                long before = closedThrough;
                closedThrough = min;
                emitClosed(before, record);
            }
            return;
        }
        long start = Math.floorDiv(s.time, windowMs) * windowMs;
        if (start + windowMs <= closedThrough) {
            return; // its window is already out (only after a restart: ShuffleBySensor drops late readings)
        }
        String key = key(start, s.id);
        SumCount agg = windows.get(key);
        windows.put(key, (agg == null ? new SumCount() : agg).add(s.value));
    }

    /**
     * Every window whose end is at or before the minimum watermark, in time order. Windows that ended
     * at or before {@code before} are gone already, so the scan starts there (not at the store's
     * first key, past the tombstones of every window emitted so far).
     */
    private void emitClosed(long before, Record<String, Shuffled> cause) {
        List<KeyValue<String, SumCount>> closed = new ArrayList<>();
        // Keys of windows starting before closedThrough sort before "<closedThrough digits>" (no space).
        String from = before == Long.MIN_VALUE ? null : key(before, "").trim();
        try (KeyValueIterator<String, SumCount> it = windows.range(from, key(closedThrough, "").trim())) {
            it.forEachRemaining(closed::add);
        }
        for (KeyValue<String, SumCount> kv : closed) {
            long start = Long.parseLong(kv.key.substring(0, 19));
            String sensorId = kv.key.substring(20);
            context.forward(new Record<>(sensorId,
                new WindowResult(sensorId, start, start + windowMs, kv.value.sum, kv.value.count), cause.timestamp()));
            windows.delete(kv.key);
        }
    }
}
