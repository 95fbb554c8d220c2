#!/usr/bin/env bash
# From a fresh clone to a running platform on SQLite with demo content:
# install, build, migrate, start (the server seeds the demo on start and prints URLs and logins).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "== Installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

mkdir -p data
if [ -z "${PAYLOAD_SECRET:-}" ]; then
  if [ ! -s data/.payload-secret ]; then
    echo "== Generating a session secret in data/.payload-secret"
    (umask 077 && node -e "process.stdout.write(require('node:crypto').randomBytes(32).toString('hex'))" > data/.payload-secret)
  fi
  PAYLOAD_SECRET="$(cat data/.payload-secret)"
  export PAYLOAD_SECRET
fi

stale_build() {
  [ ! -f .next/BUILD_ID ] && return 0
  [ -n "$(find src collections globals access hooks next.config.mjs package-lock.json -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]
}
if stale_build; then
  echo "== Building the admin UI and public site (next build, about a minute)"
  npm run build
fi

export NODE_ENV=production
echo "== Applying database migrations"
npm run --silent migrate
echo "== Starting Vetted"
exec npm run --silent start
