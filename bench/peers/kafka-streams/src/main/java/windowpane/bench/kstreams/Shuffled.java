package windowpane.bench.kstreams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A record of the by-sensor repartition topic (unkeyed input only): either a reading re-keyed by its
 * sensor id ({@code id}, {@code time} in epoch ms, {@code value}), or a watermark of one input partition
 * ({@code from}, {@code watermark}), which goes to every partition of the repartition topic.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Shuffled {
    public String id;
    public Long time;
    public Long value;
    /** Input partition whose watermark this is. */
    public Integer from;
    /** That partition's watermark, rounded down to a window boundary: every window ending at or before it is closed there. */
    public Long watermark;

    public Shuffled() {}

    static Shuffled reading(String id, long timeMs, long value) {
        Shuffled s = new Shuffled();
        s.id = id;
        s.time = timeMs;
        s.value = value;
        return s;
    }

    static Shuffled watermark(int from, long watermark) {
        Shuffled s = new Shuffled();
        s.from = from;
        s.watermark = watermark;
        return s;
    }

    boolean isWatermark() {
        return watermark != null;
    }
}
