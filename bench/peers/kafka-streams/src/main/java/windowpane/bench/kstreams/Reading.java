package windowpane.bench.kstreams;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One input value: {@code {"id":3,"time":1763900000.25,"value":7}} ({@code id} may be a number or a string). */
@JsonIgnoreProperties(ignoreUnknown = true)
public class Reading {
    /** Sensor id in its string form (Jackson turns a JSON number 3 into "3"). */
    public String id;
    /** Event time in epoch seconds, with up to a millisecond fraction. */
    public double time;
    public long value;

    /** Event time in epoch milliseconds. */
    public long timestampMs() {
        return Math.round(time * 1000);
    }
}
