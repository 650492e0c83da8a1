package windowpane.bench.flink;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.formats.json.JsonDeserializationSchema;
import org.apache.flink.formats.json.JsonSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-sensor event-time tumbling windows (sum and count of the readings), each emitted once with its
 * final result when the watermark (max event time - LATENESS_MS) passes the window's end.
 *
 * <p>Configured by the benchmark contract's environment: BROKERS, INPUT_TOPIC, OUTPUT_TOPIC, GROUP_ID,
 * WINDOW_MS, LATENESS_MS (the bounded out-of-orderness), optional EXACTLY_ONCE=1 (checkpoints every
 * second and a transactional Kafka sink).
 */
public final class SensorWindows {
    private static final Logger LOG = LoggerFactory.getLogger(SensorWindows.class);

    public static void main(String[] args) throws Exception {
        String brokers = env("BROKERS");
        String inputTopic = env("INPUT_TOPIC");
        String outputTopic = env("OUTPUT_TOPIC");
        String groupId = env("GROUP_ID");
        Duration windowSize = Duration.ofMillis(Long.parseLong(env("WINDOW_MS")));
        Duration lateness = Duration.ofMillis(Long.parseLong(env("LATENESS_MS")));
        boolean exactlyOnce = "1".equals(System.getenv("EXACTLY_ONCE"));

        // In a plain `java` process this is a local environment running an embedded MiniCluster,
        // with parallelism = the number of CPU cores.
        // Checkpoints go to files (the JVM's temp folder), as Flink's docs advise beyond toy state:
        // the default, in the JobManager's memory, refuses state over 5 MB (100 000 sensors).
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY,
            new java.io.File(System.getProperty("java.io.tmpdir"), "flink-checkpoints-" + groupId).toURI().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        if (exactlyOnce) {
            env.enableCheckpointing(1000, CheckpointingMode.EXACTLY_ONCE);
        }

        KafkaSource<Reading> source = KafkaSource.<Reading>builder()
            .setBootstrapServers(brokers)
            .setTopics(inputTopic)
            .setGroupId(groupId)
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setValueOnlyDeserializer(new JsonDeserializationSchema<>(Reading.class))
            .build();

        WatermarkStrategy<Reading> watermarks = WatermarkStrategy
            .<Reading>forBoundedOutOfOrderness(lateness)
            .withTimestampAssigner((reading, kafkaTimestamp) -> reading.timestampMs());

        DataStream<SensorWindow> windows = env
            .fromSource(source, watermarks, "Kafka Source")
            .keyBy(reading -> reading.id)
            .window(TumblingEventTimeWindows.of(windowSize))
            .aggregate(new SumCountAggregate(), new ToSensorWindow())
            .name("sensor windows");

        KafkaSink<SensorWindow> sink = KafkaSink.<SensorWindow>builder()
            .setBootstrapServers(brokers)
            .setRecordSerializer(KafkaRecordSerializationSchema.<SensorWindow>builder()
                .setTopic(outputTopic)
                .setKeySerializationSchema(window -> window.sensorId.getBytes(StandardCharsets.UTF_8))
                .setValueSerializationSchema(new JsonSerializationSchema<SensorWindow>())
                .build())
            .setDeliveryGuarantee(exactlyOnce ? DeliveryGuarantee.EXACTLY_ONCE : DeliveryGuarantee.AT_LEAST_ONCE)
            .setTransactionalIdPrefix(groupId)
            // Below the broker's transaction.max.timeout.ms (15 min); Flink's default is 1 h.
            .setProperty("transaction.timeout.ms", String.valueOf(Duration.ofMinutes(10).toMillis()))
            .build();

        windows.sinkTo(sink).name("Kafka Sink");

        LOG.info("starting: {} -> {}, window {} ms, out-of-orderness {} ms, parallelism {}, {}", inputTopic, outputTopic,
            windowSize.toMillis(), lateness.toMillis(), env.getParallelism(),
            exactlyOnce ? "checkpoints every 1 s + exactly-once sink" : "no checkpoints, at-least-once sink");
        // Runs until the process is killed (the Kafka source is unbounded).
        env.execute("windowpane bench: sensor windows");
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            System.err.println("missing environment variable " + name);
            System.exit(2);
        }
        return value;
    }
}
