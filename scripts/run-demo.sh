#!/usr/bin/env bash
# `make run`: creates the demo database on first use, then serves it.
set -euo pipefail
bin=$1 db=$2 port=$3
if [[ ! -f $db ]]; then
  "$bin" demo --db "$db" --members 5000
else
  echo "Using existing $db (delete it to start the demo afresh; a demo made before two-factor"
  echo "sign-in existed asks its HQ admin to set up an authenticator app at first sign-in)."
  echo "Demo sign-ins: admin, east, manager_sh, cashier_sh, guide_sh, cashier_hz, manager_sz, guide_sz, marketer, service, analyst — password Demo@2026"
fi
echo "Open http://localhost:$port"
# Plain text logs for a person at a terminal; production keeps the default JSON lines.
exec "$bin" serve --db "$db" --port "$port" --log-format text
