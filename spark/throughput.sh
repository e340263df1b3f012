#!/usr/bin/env bash
# Throughput of the Spark job (local[2]: 2 task slots x 1 kernel thread) next to the CLI (one process, 2 kernel
# threads) on the same files: the first N clips of ljspeech_lj001 (N=50: 333.6 s of audio). Wall and CPU time
# include JVM start and model load. Run one thing at a time on a shared machine; it runs under nice -n 10.
#   spark/throughput.sh [N]        (builds the jars first)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-50}
JAVA_HOME=$("$root/bin/find-jdk"); export JAVA_HOME
work=$(mktemp -d /tmp/auricle-throughput.XXXXXX)
speech="$root/../shared/data/speech/ljspeech_lj001"
mkdir "$work/in"
awk -F'\t' -v n="$n" 'NR>1 && NR<=n+1 {print $2}' "$speech/manifest.tsv" | while read -r f; do ln -s "$speech/$f" "$work/in/$f"; done
seconds=$(awk -F'\t' -v n="$n" 'NR>1 && NR<=n+1 {s+=$3} END {print s}' "$speech/manifest.tsv")
# Builds cli and spark; Spark's own jars (provided scope) as a class path: written by each module, spark's last.
(cd "$root" && mvn -B -q -ntp -pl spark -am -DskipTests package dependency:build-classpath \
  -Dmdep.includeScope=provided -Dmdep.outputFile="$work/spark.cp" >/dev/null)
flags="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m"
opens=$(sed -n '/<spark.jvm.flags>/,/<\/spark.jvm.flags>/p' "$root/spark/pom.xml" | sed 's/<[^>]*>//g' | tr -s ' \n' ' ')
measure() { # name, command...
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "%U %S" -o "$work/$name.time" nice -n 10 "$@" >"$work/$name.log" 2>&1
  end=$(date +%s.%N)
  read -r user sys <"$work/$name.time"
  awk -v n="$name" -v a="$seconds" -v w="$(echo "$end - $start" | bc)" -v c="$(echo "$user + $sys" | bc)" \
    -v l="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {printf "%-6s %.1f s audio: wall %.1f s (%.2f audio h/h), CPU %.1f s (%.3f CPU s per audio s), load %s\n", n, a, w, a / w, c, c / a, l}'
}
# the CLI as ./auricle runs it: the parallel and serial collectors need these two flags to keep loop strip mining
measure cli "$JAVA_HOME/bin/java" $flags -XX:+UseParallelGC -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000 -cp "$root/cli/target/auricle-cli.jar:$root/cli/target/lib/*" \
  io.auricle.cli.Main transcribe --model tiny.en --threads 2 -f json -o "$work/cli" --verbose False "$work"/in/*
measure spark "$JAVA_HOME/bin/java" $flags $opens -Xmx3g -cp "$root/spark/target/auricle-spark.jar:$(cat "$work/spark.cp")" \
  -Dspark.master='local[2]' -Dspark.ui.enabled=false io.auricle.spark.TranscribeJob \
  --input "$work/in" --output "$work/spark" --model tiny.en --format jsonl
echo "outputs and logs: $work"
