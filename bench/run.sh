#!/usr/bin/env bash
# Runs tusk's side-by-side benchmark and writes docs/BENCHMARKS.md.
#
#   bench/run.sh [--quick|--tiny] [--runs N] [--scenarios a,b,...] [--targets a,b,...]
#                [--no-build] [--no-build-tusk] [--report FILE] [-- more tusk-bench compare options]
#
# Scenarios: big,big8m,small,smalldirty,head,headmulti,idle,download,s3,stored (default: all)
# Targets:   tusk,tus-node,tus-java-server,ceiling (default: all)
# Builds what it needs first (tusk's server module, the bench module, the tus-java-server peer,
# npm ci for the @tus/server peer) unless told not to, and fetches S3Proxy for the s3 scenario.
# --report writes the report elsewhere than docs/BENCHMARKS.md (e.g. bench/work/s3.md for an
# s3-only run; docs/BENCHMARKS.md is the full run's). Never part of the test suite.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

size=full
runs=3
scenarios=big,big8m,small,smalldirty,head,headmulti,idle,download,s3,stored
targets=tusk,tus-node,tus-java-server,ceiling
build=1
build_tusk=1
report=docs/BENCHMARKS.md
s3proxy_version=4.1.0
s3proxy_jar=bench/work/s3proxy/s3proxy-${s3proxy_version}-jar-with-dependencies.jar
extra=()
invocation="bench/run.sh $*"

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) size=quick ;;
    --tiny) size=tiny ;;
    --runs) runs="$2"; shift ;;
    --scenarios) scenarios="$2"; shift ;;
    --targets) targets="$2"; shift ;;
    --no-build) build=0 ;;
    --no-build-tusk) build_tusk=0 ;;
    --report) report="$2"; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

# 10,000 stalled uploads need as many sockets in the generator and in each server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [[ "$(ulimit -n)" != unlimited && "$(ulimit -n)" -lt 12000 && ",$scenarios," == *,idle,* ]]; then
  echo "warning: open-file limit $(ulimit -n) is below what the idle scenario needs" >&2
fi

if [[ $build -eq 1 ]]; then
  if [[ $build_tusk -eq 1 && ",$targets," == *,tusk,* ]]; then
    if grep -q '<module>server</module>' pom.xml; then
      echo "== building tusk (server and what it depends on)"
      mvn -B -q -pl server -am package -DskipTests
    else
      echo "== server/ is not in the reactor yet; using server/target/tusk.jar if it exists"
    fi
  fi
  # with the store modules it writes the stored scenario's uploads through (-am: from this tree)
  echo "== building the bench module"
  mvn -B -q -pl bench -am package -DskipTests
  if [[ ",$targets," == *,tus-java-server,* ]]; then
    echo "== building the tus-java-server peer"
    mvn -B -q -f bench/peers/tus-java-server/pom.xml package
  fi
  if [[ ",$targets," == *,tus-node,* ]]; then
    echo "== installing the @tus/server peer (npm ci)"
    (cd bench/peers/node && npm ci --no-audit --no-fund --loglevel=error)
  fi
fi

# The endpoint of the s3 scenario and of stored's S3 part: S3Proxy's self-contained jar from Maven Central (not a build).
if [[ ( ",$scenarios," == *,s3,* || ",$scenarios," == *,stored,* ) && ",$targets," == *,tusk,* \
      && ! -f "$s3proxy_jar" ]]; then
  echo "== fetching S3Proxy ${s3proxy_version} (jar-with-dependencies) for the s3 and stored scenarios"
  mvn -B -q dependency:copy \
    -Dartifact="org.gaul:s3proxy:${s3proxy_version}:jar:jar-with-dependencies" \
    -DoutputDirectory="$(dirname "$s3proxy_jar")"
fi

echo "== df -h $root/bench before the run"
df -h "$root/bench" | tail -1

exec java -jar bench/target/tusk-bench.jar compare \
  --bench-dir bench \
  --tusk-jar server/target/tusk.jar \
  --size "$size" --runs "$runs" \
  --scenarios "$scenarios" --targets "$targets" \
  --report "$report" --notes bench/NOTES.md \
  --s3proxy-jar "$s3proxy_jar" \
  --invocation "$invocation" \
  "${extra[@]}"
