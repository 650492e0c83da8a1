package windowpane.bench.kstreams;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage before the shuffle (unkeyed input), one per input partition: drops the readings that are late
 * by this partition's own stream time (max event time seen - grace, as the DSL's windowed aggregate
 * does), re-keys the others by sensor id, and whenever this partition's watermark passes a window
 * boundary sends it to every partition of the repartition topic (see {@link BySensorPartitioner}).
 */
public final class ShuffleBySensor implements Processor<String, Reading, String, Shuffled> {
    private static final Logger LOG = LoggerFactory.getLogger(ShuffleBySensor.class);
    static final String STORE = "shuffle-watermark";
    private static final String KEY = "watermark";

    private final long windowMs;
    private final long graceMs;
    private ProcessorContext<String, Shuffled> context;
    private KeyValueStore<String, Long> store;
    private long maxTime = Long.MIN_VALUE;
    /** The last watermark sent (a window boundary). */
    private long sent = Long.MIN_VALUE;
    private long late;

    ShuffleBySensor(long windowMs, long graceMs) {
        this.windowMs = windowMs;
        this.graceMs = graceMs;
    }

    @Override
    public void init(ProcessorContext<String, Shuffled> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        Long restored = store.get(KEY);
        if (restored != null) {
            sent = restored;
            maxTime = restored + graceMs;
        }
    }

    @Override
    public void process(Record<String, Reading> record) {
        Reading reading = record.value();
        if (reading == null || reading.id == null) {
            return;
        }
        long time = reading.timestampMs();
        long windowEnd = Math.floorDiv(time, windowMs) * windowMs + windowMs;
        if (maxTime != Long.MIN_VALUE && windowEnd <= maxTime - graceMs) {
            if (late++ % 10_000 == 0) {
                LOG.warn("dropping late readings ({} so far) on partition {}", late, context.recordMetadata().map(m -> m.partition()).orElse(-1));
            }
            return;
        }
        context.forward(record.withKey(reading.id).withValue(Shuffled.reading(reading.id, time, reading.value)).withTimestamp(time));
        if (time > maxTime) {
            maxTime = time;
            long watermark = Math.floorDiv(maxTime - graceMs, windowMs) * windowMs;
            if (watermark > sent) {
                sent = watermark;
                store.put(KEY, watermark);
                int partition = context.recordMetadata().orElseThrow().partition();
                // Key: the input partition (the partitioner sends watermarks to every partition).
                context.forward(record.withKey("").withValue(Shuffled.watermark(partition, watermark)).withTimestamp(time));
            }
        }
    }
}
