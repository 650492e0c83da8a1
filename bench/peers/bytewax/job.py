"""Bytewax peer: per-sensor event-time tumbling windows (sum, count), Kafka to Kafka.

Written the way the Bytewax 0.21 docs write it: the Kafka operators
(`bytewax.connectors.kafka.operators`, see the "Kafka" concepts guide),
`op.map` to parse JSON, `op.key_on` to key by sensor, and
`bytewax.operators.windowing.fold_window` with an `EventClock` and a
`TumblingWindower` (see the "Windowing" concepts guide and the
`fold_window` API example). Default settings everywhere else.

Run (cwd = repo root, single worker):

    .bench/venv/bin/python -m bytewax.run bench/peers/bytewax/job:flow

Configured by the benchmark contract's environment variables:
BROKERS, INPUT_TOPIC, OUTPUT_TOPIC, GROUP_ID, WINDOW_MS, LATENESS_MS,
INPUT_KEYED (false: unkeyed input, see `shuffled_windows` below).
"""

import json
import os
import zlib
from datetime import datetime, timedelta, timezone

import bytewax.operators as op
import bytewax.operators.windowing as win
from bytewax.connectors.kafka import KafkaSinkMessage
from bytewax.connectors.kafka import operators as kop
from bytewax.dataflow import Dataflow
from bytewax.operators.windowing import EventClock, TumblingWindower

BROKERS = os.environ["BROKERS"].split(",")
INPUT_TOPIC = os.environ["INPUT_TOPIC"]
OUTPUT_TOPIC = os.environ["OUTPUT_TOPIC"]
GROUP_ID = os.environ["GROUP_ID"]
WINDOW_MS = int(os.environ["WINDOW_MS"])
LATENESS_MS = int(os.environ["LATENESS_MS"])
INPUT_KEYED = os.environ.get("INPUT_KEYED", "true") != "false"

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# Bytewax does not use Kafka consumer groups: it assigns the partitions to
# its workers itself and, without recovery, reads every partition from the
# earliest offset (the default). GROUP_ID only names the dataflow (flow IDs
# can't contain a period).
flow = Dataflow(GROUP_ID.replace(".", "_"))
kinp = kop.input("kafka_in", flow, brokers=BROKERS, topics=[INPUT_TOPIC])
# Crash on consumer errors, as in the Kafka guide.
op.inspect("inspect_errors", kinp.errs).then(op.raises, "crash_on_error")


def parse(msg):
    """`{"id":3,"time":1763900000.25,"value":7}` -> reading dict."""
    reading = json.loads(msg.value)
    ms = round(reading["time"] * 1000)
    return {
        "sensor_id": str(reading["id"]),
        # Event time: epoch seconds with a millisecond fraction, taken as
        # round(time * 1000) ms; must be an aware UTC datetime.
        "ts": EPOCH + timedelta(milliseconds=ms),
        "ms": ms,
        "value": reading["value"],
        # The input partition (used on unkeyed input only).
        "partition": msg.partition,
    }


readings = op.map("parse", kinp.oks, parse)


def add_reading(acc, reading):
    total, count = acc
    return (total + reading["value"], count + 1)


def merge(a, b):
    return (a[0] + b[0], a[1] + b[1])


def keyed_windows(readings):
    """Keyed input: each sensor is in one partition, so `key_on` + `fold_window` is exact."""
    keyed = op.key_on("key_on_sensor", readings, lambda r: r["sensor_id"])
    clock = EventClock(
        lambda r: r["ts"], wait_for_system_duration=timedelta(milliseconds=LATENESS_MS)
    )
    windower = TumblingWindower(length=timedelta(milliseconds=WINDOW_MS), align_to=EPOCH)
    windowed = win.fold_window(
        "sum_count",
        keyed,
        clock,
        windower,
        builder=lambda: (0, 0),
        folder=add_reading,
        merger=merge,
    )
    return windowed.down


# Unkeyed input: a sensor's readings are on every partition. `key_on(sensor)` +
# `fold_window` is not exact there: Bytewax's clock (watermark) is per key, and it
# reads each partition with its own consumer at its own pace (on a backlog one
# partition runs seconds or minutes of event time ahead of another), so once a
# sensor's watermark has moved on with one partition's readings, its readings from
# the other partitions are dropped as late. So the watermark travels with the
# shuffle: per input partition (`stateful_flat_map` keyed by partition) readings
# late by that partition's own watermark (max event time - LATENESS_MS) are dropped
# and the rest are keyed by sensor (into one of SHUFFLE_BUCKETS buckets); whenever
# the partition's watermark passes a window boundary it goes to every bucket. Per
# bucket, readings are summed into their windows, and a window is emitted once the
# watermark of every input partition has reached its end. Event time only.


def partition_count():
    from confluent_kafka.admin import AdminClient

    topics = AdminClient({"bootstrap.servers": ",".join(BROKERS)}).list_topics(
        INPUT_TOPIC, timeout=30
    ).topics
    return len(topics[INPUT_TOPIC].partitions)


def window_start(ts_ms):
    return ts_ms // WINDOW_MS * WINDOW_MS


def shuffle(state, reading):
    """Per input partition. State: [max event ms, last watermark sent]."""
    if state is None:
        state = [None, None]
    ts = reading["ms"]
    max_ts, sent = state
    if max_ts is not None and window_start(ts) + WINDOW_MS <= max_ts - LATENESS_MS:
        return state, []  # late by this partition's watermark
    sensor = reading["sensor_id"]
    out = [(str(zlib.crc32(sensor.encode()) % SHUFFLE_BUCKETS), ("r", sensor, ts, reading["value"]))]
    if max_ts is None or ts > max_ts:
        state[0] = ts
        watermark = window_start(ts - LATENESS_MS)
        if sent is None or watermark > sent:
            state[1] = watermark
            mark = ("w", reading["partition"], watermark)
            out.extend((str(b), mark) for b in range(SHUFFLE_BUCKETS))
    return state, out


def merge_windows(state, item):
    """Per bucket. State: [{partition: watermark}, closed through, {start: {sensor: [sum, count]}}]."""
    if state is None:
        state = [{}, None, {}]
    watermarks, closed, open_windows = state
    if item[0] == "r":
        _, sensor, ts, value = item
        start = window_start(ts)
        if closed is not None and start + WINDOW_MS <= closed:
            return state, []
        acc = open_windows.setdefault(start, {}).get(sensor)
        if acc is None:
            open_windows[start][sensor] = [value, 1]
        else:
            acc[0] += value
            acc[1] += 1
        return state, []
    _, partition, watermark = item
    if watermarks.get(partition, watermark - 1) >= watermark:
        return state, []
    watermarks[partition] = watermark
    if len(watermarks) < INPUT_PARTITIONS:
        return state, []
    low = min(watermarks.values())
    if closed is not None and low <= closed:
        return state, []
    state[1] = low
    out = []
    for start in sorted(s for s in open_windows if s + WINDOW_MS <= low):
        for sensor, (total, count) in open_windows.pop(start).items():
            out.append((sensor, (start // WINDOW_MS, (total, count))))
    return state, out


def shuffled_windows(readings):
    by_partition = op.key_on("key_on_partition", readings, lambda r: str(r["partition"]))
    shuffled = op.stateful_flat_map("shuffle_by_sensor", by_partition, shuffle)
    by_bucket = op.map("key_on_bucket", shuffled, lambda kv: kv[1])
    merged = op.stateful_flat_map("merge_windows", by_bucket, merge_windows)
    # (bucket, (sensor, (window_id, (sum, count)))) -> what fold_window's `down` carries
    return op.map("drop_bucket", merged, lambda kv: kv[1])


if INPUT_KEYED:
    windows = keyed_windows(readings)
else:
    INPUT_PARTITIONS = partition_count()
    SHUFFLE_BUCKETS = INPUT_PARTITIONS
    windows = shuffled_windows(readings)


def format_window(key_window):
    """`(sensor, (window_id, (sum, count)))` -> KafkaSinkMessage.

    With a TumblingWindower, window `n` covers
    [align_to + n * length, align_to + (n + 1) * length); align_to is the
    epoch here, so its bounds in epoch ms are n * WINDOW_MS and the next.
    """
    sensor_id, (window_id, (total, count)) = key_window
    start = window_id * WINDOW_MS
    value = {
        "sensorId": sensor_id,
        "windowStart": start,
        "windowEnd": start + WINDOW_MS,
        "sum": total,
        "count": count,
    }
    return KafkaSinkMessage(
        key=sensor_id.encode("utf-8"),
        value=json.dumps(value, separators=(",", ":")).encode("utf-8"),
    )


out = op.map("format", windows, format_window)
kop.output("kafka_out", out, brokers=BROKERS, topic=OUTPUT_TOPIC)
