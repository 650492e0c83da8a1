package windowpane.bench.kstreams;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** One output value: {@code {"sensorId":"3","windowStart":...,"windowEnd":...,"sum":42,"count":9}}. */
@JsonPropertyOrder({"sensorId", "windowStart", "windowEnd", "sum", "count"})
public class WindowResult {
    public String sensorId;
    public long windowStart;
    public long windowEnd;
    public long sum;
    public long count;

    public WindowResult() {}

    public WindowResult(String sensorId, long windowStart, long windowEnd, long sum, long count) {
        this.sensorId = sensorId;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
        this.sum = sum;
        this.count = count;
    }
}
