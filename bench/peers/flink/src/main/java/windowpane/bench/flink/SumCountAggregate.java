package windowpane.bench.flink;

import org.apache.flink.api.common.functions.AggregateFunction;
import org.apache.flink.api.java.tuple.Tuple2;

/** Incremental sum and count of the readings in a window; accumulator = (sum, count), as in the docs' AverageAggregate. */
public class SumCountAggregate implements AggregateFunction<Reading, Tuple2<Long, Long>, Tuple2<Long, Long>> {
    @Override
    public Tuple2<Long, Long> createAccumulator() {
        return new Tuple2<>(0L, 0L);
    }

    @Override
    public Tuple2<Long, Long> add(Reading reading, Tuple2<Long, Long> acc) {
        return new Tuple2<>(acc.f0 + reading.value, acc.f1 + 1L);
    }

    @Override
    public Tuple2<Long, Long> getResult(Tuple2<Long, Long> acc) {
        return acc;
    }

    @Override
    public Tuple2<Long, Long> merge(Tuple2<Long, Long> a, Tuple2<Long, Long> b) {
        return new Tuple2<>(a.f0 + b.f0, a.f1 + b.f1);
    }
}
