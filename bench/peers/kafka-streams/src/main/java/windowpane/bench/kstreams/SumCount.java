package windowpane.bench.kstreams;

/** The aggregate of one window: sum of the values and number of readings. */
public class SumCount {
    public long sum;
    public long count;

    public SumCount() {}

    public SumCount(long sum, long count) {
        this.sum = sum;
        this.count = count;
    }

    public SumCount add(long value) {
        return new SumCount(sum + value, count + 1);
    }
}
