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
BROKERS, INPUT_TOPIC, OUTPUT_TOPIC, GROUP_ID, WINDOW_MS, LATENESS_MS.
"""

import json
import os
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
    return {
        "sensor_id": str(reading["id"]),
        # Event time: epoch seconds with a millisecond fraction, taken as
        # round(time * 1000) ms; must be an aware UTC datetime.
        "ts": EPOCH + timedelta(milliseconds=round(reading["time"] * 1000)),
        "value": reading["value"],
    }


readings = op.map("parse", kinp.oks, parse)
keyed = op.key_on("key_on_sensor", readings, lambda r: r["sensor_id"])

clock = EventClock(
    lambda r: r["ts"], wait_for_system_duration=timedelta(milliseconds=LATENESS_MS)
)
windower = TumblingWindower(length=timedelta(milliseconds=WINDOW_MS), align_to=EPOCH)


def add_reading(acc, reading):
    total, count = acc
    return (total + reading["value"], count + 1)


def merge(a, b):
    return (a[0] + b[0], a[1] + b[1])


windowed = win.fold_window(
    "sum_count",
    keyed,
    clock,
    windower,
    builder=lambda: (0, 0),
    folder=add_reading,
    merger=merge,
)



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


out = op.map("format", windowed.down, format_window)
kop.output("kafka_out", out, brokers=BROKERS, topic=OUTPUT_TOPIC)
