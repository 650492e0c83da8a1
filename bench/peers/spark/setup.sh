#!/usr/bin/env bash
# Creates/updates the shared benchmark venv (.bench/venv in the repo root),
# installs the PySpark peer's pinned requirements, and pre-fetches the Spark
# Kafka connector package into the Ivy cache (.bench/ivy) that job.py uses, so
# the first timed run does not download it. Idempotent and quick when done.
set -euo pipefail
cd "$(dirname "$0")/../../.."

VENV=.bench/venv
REQ=bench/peers/spark/requirements.txt
STAMP=$VENV/.requirements-spark.txt
IVY_DIR=.bench/ivy

if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p .bench
  python3 -m venv "$VENV"
fi
if [ -f "$STAMP" ] && cmp -s "$REQ" "$STAMP"; then
  echo "spark peer: requirements already installed in $VENV"
else
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$REQ"
  cp "$REQ" "$STAMP"
  echo "spark peer: installed $(grep -m1 '^pyspark' "$REQ") into $VENV"
fi

SPARK_VERSION=$("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)')
JAR=$IVY_DIR/jars/org.apache.spark_spark-sql-kafka-0-10_2.13-$SPARK_VERSION.jar
if [ -f "$JAR" ]; then
  echo "spark peer: Kafka connector already in $IVY_DIR"
  exit 0
fi
echo "spark peer: fetching org.apache.spark:spark-sql-kafka-0-10_2.13:$SPARK_VERSION into $IVY_DIR"
mkdir -p "$IVY_DIR"
# Start (and stop) a Spark session with the same packages/ivy settings as job.py.
SPARK_PEER_IVY_DIR="$IVY_DIR" "$VENV/bin/python" - <<'PY'
import os
import pyspark
from pyspark.sql import SparkSession

spark = (
    SparkSession.builder.appName("spark-peer-setup")
    .master("local[1]")
    .config("spark.jars.packages",
            f"org.apache.spark:spark-sql-kafka-0-10_2.13:{pyspark.__version__}")
    .config("spark.jars.ivy", os.path.abspath(os.environ["SPARK_PEER_IVY_DIR"]))
    .config("spark.jars.ivySettings", os.path.abspath("bench/peers/spark/ivysettings.xml"))
    .config("spark.log.level", "WARN")
    .getOrCreate()
)
spark.stop()
PY
test -f "$JAR"
echo "spark peer: Kafka connector cached in $IVY_DIR"
