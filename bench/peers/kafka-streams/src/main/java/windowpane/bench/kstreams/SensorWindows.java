package windowpane.bench.kstreams;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindowedKStream;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-sensor event-time tumbling windows (sum and count of the readings), emitting each window once
 * with its final result when stream time passes window end + grace.
 *
 * <p>Configured by the benchmark contract's environment: BROKERS, INPUT_TOPIC, OUTPUT_TOPIC, GROUP_ID
 * (the application.id), WINDOW_MS, LATENESS_MS (the grace period), optional EXACTLY_ONCE=1.
 */
public final class SensorWindows {
    private static final Logger LOG = LoggerFactory.getLogger(SensorWindows.class);

    public static void main(String[] args) throws InterruptedException {
        String brokers = env("BROKERS");
        String inputTopic = env("INPUT_TOPIC");
        String outputTopic = env("OUTPUT_TOPIC");
        String applicationId = env("GROUP_ID");
        Duration windowSize = Duration.ofMillis(Long.parseLong(env("WINDOW_MS")));
        Duration grace = Duration.ofMillis(Long.parseLong(env("LATENESS_MS")));
        boolean exactlyOnce = "1".equals(System.getenv("EXACTLY_ONCE"));
        // Not part of the benchmark contract: KSTREAMS_EMIT=close swaps suppress() for
        // emitStrategy(EmitStrategy.onWindowClose()) -- see the README for why that is not the default.
        String emit = System.getenv().getOrDefault("KSTREAMS_EMIT", "suppress");

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        if (exactlyOnce) {
            props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        }
        // Not part of the benchmark contract: optional extra Streams settings for experiments,
        // e.g. KSTREAMS_PROPS=commit.interval.ms=1000 (unset = Kafka Streams' defaults).
        for (String setting : System.getenv().getOrDefault("KSTREAMS_PROPS", "").split(",")) {
            int eq = setting.indexOf('=');
            if (eq > 0) {
                props.put(setting.substring(0, eq).trim(), setting.substring(eq + 1).trim());
            }
        }

        JsonSerde<Reading> readingSerde = new JsonSerde<>(Reading.class);
        JsonSerde<SumCount> sumCountSerde = new JsonSerde<>(SumCount.class);
        JsonSerde<WindowResult> resultSerde = new JsonSerde<>(WindowResult.class);

        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Reading> readings = builder
            .stream(inputTopic, Consumed.with(Serdes.String(), readingSerde)
                .withTimestampExtractor(new ReadingTimestampExtractor()));
        boolean keyed = !"false".equals(System.getenv().getOrDefault("INPUT_KEYED", "true"));
        if (keyed) {
            // Keyed input is grouped where it lies: each sensor is in one partition, whose stream time
            // is the watermark of all its readings.
            KTable<Windowed<String>, SumCount> finalResults = windowedDsl(
                readings.groupByKey(Grouped.with(Serdes.String(), readingSerde))
                    .windowedBy(TimeWindows.ofSizeAndGrace(windowSize, grace)),
                emit, sumCountSerde);
            finalResults
                .toStream()
                .map((window, agg) -> KeyValue.pair(window.key(), new WindowResult(
                    window.key(), window.window().start(), window.window().end(), agg.sum, agg.count)))
                .to(outputTopic, Produced.with(Serdes.String(), resultSerde));
        } else {
            // Unkeyed input (INPUT_KEYED=false): a sensor's readings are on every partition, so they are
            // re-keyed by sensor through a repartition topic, Kafka Streams' own shuffle. The DSL's
            // groupBy(id).windowedBy(...) is not exact here: after a repartition a task's stream time is
            // the highest timestamp from ANY upstream partition, and the upstream tasks do not keep pace
            // with each other (on a backlog one runs through its whole partition, end marker included,
            // before another starts), so the windowed aggregate drops the other partitions' readings as
            // late. So the watermark travels with the shuffle: each input partition sends its own
            // (max event time - grace) to every repartition partition, and a window is emitted once the
            // minimum over all input partitions has passed its end (Processor API, changelogged stores).
            int inputPartitions = partitionCount(brokers, inputTopic);
            long windowMs = windowSize.toMillis();
            long graceMs = grace.toMillis();
            JsonSerde<Shuffled> shuffledSerde = new JsonSerde<>(Shuffled.class);
            builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ShuffleBySensor.STORE), Serdes.String(), Serdes.Long()));
            builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MergeWindows.WINDOWS), Serdes.String(), sumCountSerde).withCachingEnabled());
            builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(MergeWindows.WATERMARKS), Serdes.Integer(), Serdes.Long()));
            readings
                .process(() -> new ShuffleBySensor(windowMs, graceMs), Named.as("shuffle-by-sensor"), ShuffleBySensor.STORE)
                .repartition(Repartitioned.<String, Shuffled>as("by-sensor")
                    .withKeySerde(Serdes.String())
                    .withValueSerde(shuffledSerde)
                    .withStreamPartitioner(new BySensorPartitioner()))
                .process(() -> new MergeWindows(windowMs, inputPartitions), Named.as("merge-windows"),
                    MergeWindows.WINDOWS, MergeWindows.WATERMARKS)
                .to(outputTopic, Produced.with(Serdes.String(), resultSerde));
            LOG.info("unkeyed input: {} partitions, shuffled by sensor with their watermarks", inputPartitions);
        }

        Topology topology = builder.build();
        LOG.info("topology:\n{}", topology.describe());
        KafkaStreams streams = new KafkaStreams(topology, props);
        CountDownLatch latch = new CountDownLatch(1);

        streams.setStateListener((newState, oldState) -> {
            LOG.info("state {} -> {}", oldState, newState);
            if (newState == KafkaStreams.State.ERROR) {
                LOG.error("Kafka Streams failed; exiting");
                Runtime.getRuntime().halt(1);
            }
        });
        // Stop cleanly on SIGTERM / Ctrl-C, as in the Kafka Streams WordCount demo.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(10));
            latch.countDown();
        }, "streams-shutdown-hook"));

        LOG.info("starting: {} -> {}, window {} ms, grace {} ms, {}, emit={}, extra props={}", inputTopic, outputTopic,
            windowSize.toMillis(), grace.toMillis(), exactlyOnce ? "exactly_once_v2" : "at_least_once", emit,
            System.getenv().getOrDefault("KSTREAMS_PROPS", "none"));
        streams.start();
        latch.await();
    }

    /** The DSL's windowed aggregate with final results only (suppress, or KSTREAMS_EMIT=close). */
    private static KTable<Windowed<String>, SumCount> windowedDsl(
            TimeWindowedKStream<String, Reading> windowed, String emit, JsonSerde<SumCount> sumCountSerde) {
        if (emit.equals("close")) {
            return windowed
                .emitStrategy(EmitStrategy.onWindowClose())
                .aggregate(SumCount::new, (sensorId, reading, agg) -> agg.add(reading.value),
                    Materialized.with(Serdes.String(), sumCountSerde));
        }
        return windowed
            .aggregate(SumCount::new, (sensorId, reading, agg) -> agg.add(reading.value),
                Materialized.with(Serdes.String(), sumCountSerde))
            .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded()));
    }

    private static int partitionCount(String brokers, String topic) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers);
        try (Admin admin = Admin.create(props)) {
            return admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe " + topic, e);
        }
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
