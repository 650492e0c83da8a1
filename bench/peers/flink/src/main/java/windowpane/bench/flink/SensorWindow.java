package windowpane.bench.flink;

/** One output value: {@code {"sensorId":"3","windowStart":...,"windowEnd":...,"sum":42,"count":9}} (a Flink POJO). */
public class SensorWindow {
    public String sensorId;
    public long windowStart;
    public long windowEnd;
    public long sum;
    public long count;

    public SensorWindow() {}

    public SensorWindow(String sensorId, long windowStart, long windowEnd, long sum, long count) {
        this.sensorId = sensorId;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.sum = sum;
        this.count = count;
    }
}
