#!/usr/bin/env bash
# The README's test command: installs and starts everything the suite needs on
# a fresh machine (Debian packages, npm dependencies, a real Kafka broker from
# Maven Central, a real PostgreSQL), runs the type check, the lint and the whole suite
# against the real engines, and stops the services again.
set -euo pipefail
cd "$(dirname "$0")/.."

case "${1:-}" in
  -h|--help)
    echo "usage: npm run test:all [-- VITEST_ARGS…]"
    echo "Installs what the suite needs (Debian packages, the locked npm dependencies, Kafka from Maven Central), starts Kafka and PostgreSQL,"
    echo "type-checks, lints, builds the dashboard and runs every test against the real engines."
    exit 0 ;;
esac

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "system packages"
need=()
command -v prometheus >/dev/null || need+=(prometheus)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
command -v chromium >/dev/null || need+=(chromium)
command -v docker-compose >/dev/null || need+=(docker-compose)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || need+=(maven)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "all present"
fi

step "npm dependencies"
# Not `npm ci`: chDB lists a native package per platform as optional dependencies, and a
# registry that carries only this platform's leaves the others out of the lock file, which
# `npm ci` refuses. `npm install` installs the locked versions and skips the absent ones.
npm install --no-audit --no-fund --loglevel=error

step "type check"
npx tsc -p tsconfig.json

step "lint"
# Biome: formatting and lint rules (biome.jsonc), no writes; `npm run fix` repairs what it can.
# A finding fails the run, but only after the suite: its results are still worth reading.
lint_status=0
npm run --silent lint || lint_status=$?

step "web apps build (dashboard, playground, Mini App)"
npm run --silent build:web

step "services (Kafka, PostgreSQL)"
# Stop at the end only what this run started: a developer's running services stay up.
if bash scripts/services.sh status | grep -q 'stopped'; then
  trap 'bash scripts/services.sh stop >/dev/null 2>&1 || true' EXIT
fi
bash scripts/services.sh start
eval "$(bash scripts/services.sh env | sed 's/^/export /')"

step "test suite"
# The product logs JSON at info; in the suite that buries the results.
export LOG_LEVEL="${LOG_LEVEL:-warn}"
mkdir -p test-artifacts
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=test-artifacts/vitest.json "$@"
status=$?
set -e
node -e '
  const r = require("./test-artifacts/vitest.json");
  const failedFiles = r.testResults.filter((f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed")).length;
  console.log(`\nvitest: ${r.numPassedTests} passed, ${r.numFailedTests + failedFiles} failed`);
' || echo "vitest: 0 passed, 1 failed"
if [ "$lint_status" -ne 0 ] && [ "$status" -eq 0 ]; then
  echo "lint failed (npm run lint; npm run fix repairs formatting and safe fixes)"
  status=$lint_status
fi
exit $status
