"""PySpark Structured Streaming peer: per-sensor event-time tumbling windows.

Written the way the Spark docs write it: the Kafka source and sink of the
"Structured Streaming + Kafka Integration Guide", and the windowed
aggregation with a watermark of the "Structured Streaming Programming
Guide" ("Window Operations on Event Time", "Handling Late Data and
Watermarking"), in append output mode with the default trigger.

Run (cwd = repo root):

    .bench/venv/bin/python bench/peers/spark/job.py

Configured by the benchmark contract's environment variables:
BROKERS, INPUT_TOPIC, OUTPUT_TOPIC, GROUP_ID, WINDOW_MS, LATENESS_MS.
"""

import os
import shutil
import signal
import sys
import tempfile

import pyspark
from pyspark.sql import SparkSession
from pyspark.sql.functions import (
    col,
    count,
    from_json,
    round as round_,
    struct,
    sum as sum_,
    timestamp_millis,
    to_json,
    unix_millis,
    window,
)
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

BROKERS = os.environ["BROKERS"]
INPUT_TOPIC = os.environ["INPUT_TOPIC"]
OUTPUT_TOPIC = os.environ["OUTPUT_TOPIC"]
GROUP_ID = os.environ["GROUP_ID"]
WINDOW_MS = int(os.environ["WINDOW_MS"])
LATENESS_MS = int(os.environ["LATENESS_MS"])

# The Kafka connector is fetched by Spark itself (Ivy, from Maven Central)
# into a cache (.bench/ivy) that bench/peers/spark/setup.sh warms up.
KAFKA_PACKAGE = f"org.apache.spark:spark-sql-kafka-0-10_2.13:{pyspark.__version__}"
IVY_DIR = os.path.abspath(os.environ.get("SPARK_PEER_IVY_DIR", ".bench/ivy"))
IVY_SETTINGS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ivysettings.xml")

spark = (
    SparkSession.builder.appName(GROUP_ID)
    .master("local[2]")
    .config("spark.driver.memory", "2g")
    .config("spark.jars.packages", KAFKA_PACKAGE)
    .config("spark.jars.ivy", IVY_DIR)
    .config("spark.jars.ivySettings", IVY_SETTINGS)
    # Keep the log modest: warnings only, no console progress bars.
    .config("spark.log.level", "WARN")
    .config("spark.ui.showConsoleProgress", "false")
    .getOrCreate()
)

# `id` is a number or a string: a JSON number read into a StringType field
# keeps its text ("3"). `time` is epoch seconds with a millisecond fraction.
schema = StructType(
    [
        StructField("id", StringType()),
        StructField("time", DoubleType()),
        StructField("value", LongType()),
    ]
)

readings = (
    spark.readStream.format("kafka")
    .option("kafka.bootstrap.servers", BROKERS)
    .option("subscribe", INPUT_TOPIC)
    .option("startingOffsets", "earliest")
    .option("groupIdPrefix", GROUP_ID)
    .load()
    .select(from_json(col("value").cast("string"), schema).alias("r"))
    .select(
        col("r.id").alias("sensorId"),
        # event time = round(time * 1000) ms
        timestamp_millis(round_(col("r.time") * 1000).cast("long")).alias("eventTime"),
        col("r.value").alias("value"),
    )
)

windowed = (
    readings.withWatermark("eventTime", f"{LATENESS_MS} milliseconds")
    .groupBy(window(col("eventTime"), f"{WINDOW_MS} milliseconds"), col("sensorId"))
    .agg(sum_("value").alias("sum"), count("*").alias("count"))
)

output = windowed.select(
    col("sensorId").alias("key"),
    to_json(
        struct(
            col("sensorId"),
            unix_millis(col("window.start")).alias("windowStart"),
            unix_millis(col("window.end")).alias("windowEnd"),
            col("sum"),
            col("count"),
        )
    ).alias("value"),
)

checkpoint_dir = tempfile.mkdtemp(prefix="spark-peer-checkpoint-")

query = (
    output.writeStream.format("kafka")
    .option("kafka.bootstrap.servers", BROKERS)
    .option("topic", OUTPUT_TOPIC)
    .option("checkpointLocation", checkpoint_dir)
    .outputMode("append")
    .start()
)


stopping = False


def _on_sigterm(signum, frame):
    global stopping
    stopping = True


# Runs until killed. On SIGTERM: stop the query and Spark, drop the checkpoint.
# (Waiting in one-second steps rather than one blocking awaitTermination():
# the handler only sets a flag, so no py4j call is cut off half-way.)
signal.signal(signal.SIGTERM, _on_sigterm)
try:
    while not stopping and not query.awaitTermination(1):
        pass
finally:
    try:
        query.stop()
        spark.stop()
    finally:
        shutil.rmtree(checkpoint_dir, ignore_errors=True)
