package windowpane.bench.flink;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Adds the key and the window's bounds to the pre-aggregated (sum, count) of a window. */
public class ToSensorWindow extends ProcessWindowFunction<Tuple2<Long, Long>, SensorWindow, String, TimeWindow> {
    @Override
    public void process(String sensorId, Context context, Iterable<Tuple2<Long, Long>> aggregates, Collector<SensorWindow> out) {
        Tuple2<Long, Long> sumCount = aggregates.iterator().next();
        TimeWindow window = context.window();
        out.collect(new SensorWindow(sensorId, window.getStart(), window.getEnd(), sumCount.f0, sumCount.f1));
    }
}
