#!/bin/sh
# The out-of-process benchmark of issue 12 (docs/benchmark.md): packages the gateway, compiles the benchmark
# sources (src/test/java/fi/kelmu/gateway/bench/), and runs OutOfProcessBenchmark with the options given, e.g.
#   bench/run-benchmark.sh --rounds 4 --seconds 30 --connections 16 --gateway-jvm "-Xmx256m"
# Report: target/benchmark/out-of-process.md. Environment: MVN_ARGS (e.g. -o for offline),
# SKIP_BUILD=1 to reuse what the last build left in target/.
set -eu
cd "$(dirname "$0")/.."
MVN_ARGS=${MVN_ARGS:-}
mkdir -p target/benchmark
if [ "${SKIP_BUILD:-0}" != "1" ]; then
  # -DskipTests compiles the tests (the benchmark lives there) without running them
  mvn -B -q $MVN_ARGS -DskipTests package
  mvn -B -q $MVN_ARGS dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile=target/benchmark/classpath.txt
fi
exec java -cp "target/test-classes:target/classes:$(cat target/benchmark/classpath.txt)" \
    fi.kelmu.gateway.bench.OutOfProcessBenchmark --jar target/kelmu-gateway.jar --project . "$@"
