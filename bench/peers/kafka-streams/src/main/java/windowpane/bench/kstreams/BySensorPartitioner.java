package windowpane.bench.kstreams;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/** Readings by sensor id (the producer's murmur2, as the DSL's repartition does); watermarks to every partition. */
public final class BySensorPartitioner implements StreamPartitioner<String, Shuffled> {
    @Override
    public Optional<Set<Integer>> partitions(String topic, String key, Shuffled value, int numPartitions) {
        if (value.isWatermark()) {
            return Optional.of(IntStream.range(0, numPartitions).boxed().collect(Collectors.toSet()));
        }
        return Optional.of(Set.of(Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % numPartitions));
    }
}
