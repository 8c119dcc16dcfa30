#!/usr/bin/env bash
# Static checks of the shipped operations files (no Docker engine needed):
#   - Dockerfile: dockerfilelint (npm), installed on first use under $TUSK_CHECK_TOOLS
#   - config/alerts.yml and config/prometheus.yml: promtool (Debian package prometheus), if installed
#   - config/grafana-dashboard.json: parses as JSON
# Usage: bash config/check.sh   (exit status non-zero on the first problem)
set -euo pipefail
cd "$(dirname "$0")/.."
tools="${TUSK_CHECK_TOOLS:-${TMPDIR:-/tmp}/tusk-check-tools}"
if [ ! -x "$tools/node_modules/.bin/dockerfilelint" ]; then
  npm install --no-save --no-audit --no-fund --silent --prefix "$tools" dockerfilelint@1.8.0 >/dev/null
fi
"$tools/node_modules/.bin/dockerfilelint" Dockerfile

if command -v promtool >/dev/null 2>&1; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  cp config/alerts.yml "$tmp/alerts.yml"
  sed "s#/etc/prometheus/alerts.yml#$tmp/alerts.yml#" config/prometheus.yml > "$tmp/prometheus.yml"
  promtool check config "$tmp/prometheus.yml"
else
  echo "check: promtool not found (apt-get install prometheus): Prometheus files not checked"
fi

node -e 'JSON.parse(require("fs").readFileSync("config/grafana-dashboard.json", "utf8"))'
echo "check: Dockerfile, Prometheus configuration and Grafana dashboard are valid"
