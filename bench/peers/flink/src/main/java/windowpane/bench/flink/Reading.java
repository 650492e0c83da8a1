package windowpane.bench.flink;

/**
 * One input value, {@code {"id":3,"time":1763900000.25,"value":7}}, as a Flink POJO (public class,
 * public no-argument constructor, public fields). {@code id} may be a JSON number or a string:
 * Jackson reads a number 3 into the String field as "3".
 */
public class Reading {
    public String id;
    /** Event time in epoch seconds, with up to a millisecond fraction. */
    public double time;
    public long value;

    public Reading() {}

    /** Event time in epoch milliseconds. */
    public long timestampMs() {
        return Math.round(time * 1000);
    }
}
