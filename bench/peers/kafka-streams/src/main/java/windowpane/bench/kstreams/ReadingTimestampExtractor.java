package windowpane.bench.kstreams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/** Event time from the JSON value (the record's value is already deserialized into a {@link Reading}). */
public class ReadingTimestampExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof Reading reading) {
            return reading.timestampMs();
        }
        // Not a reading: fall back to the highest timestamp seen so far on this partition.
        return partitionTime;
    }
}
