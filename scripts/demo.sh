#!/usr/bin/env bash
# Runs both programs once against the bundled fake Zendesk on loopback and
# leaves their snapshots under ./data. The fake stops when this script
# ends, however it ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-.bin}

run=$(mktemp -d)
"$bin/zendesk-fake" -addr 127.0.0.1:0 -ready-file "$run/ready" >"$run/fake.log" 2>&1 &
fake=$!
cleanup() {
	kill "$fake" 2>/dev/null || true
	wait "$fake" 2>/dev/null || true
	rm -rf "$run"
}
trap cleanup EXIT

for _ in $(seq 100); do
	[ -s "$run/ready" ] && break
	kill -0 "$fake" 2>/dev/null || { cat "$run/fake.log" >&2; exit 1; }
	sleep 0.1
done
[ -s "$run/ready" ] || { echo "zendesk-fake did not start" >&2; exit 1; }
# The ready file holds the fake's URLs and the credentials it accepts.
set -a
# shellcheck disable=SC1091
. "$run/ready"
set +a

export DATA_DIR=${DATA_DIR:-$PWD/data} LOG_FORMAT=${LOG_FORMAT:-text}
mkdir -p "$DATA_DIR"
"$bin/helpcenter-sync"
"$bin/conversations-sync"

echo
for program in zendesk_help_center zendesk_sync; do
	echo "$DATA_DIR/$program/latest -> $(readlink "$DATA_DIR/$program/latest")"
	ls "$DATA_DIR/$program/latest/" | head -n 8
done
