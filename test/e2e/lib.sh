#!/usr/bin/env bash
# lib.sh: settings and helpers shared by the end-to-end stages; sourced by
# cluster.sh. Every process a stage starts is recorded in $RUN/NAME.pid and
# stopped by that PID (stop_pid); waits are always bounded (wait_for).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# Build products (Kubernetes binaries, images) persist here between runs;
# Go's own caches stay at Go's defaults.
WORK=${E2E_WORK:-${XDG_CACHE_HOME:-$HOME/.cache}/zendesk-sync-e2e}
K8S_VERSION=${K8S_VERSION:-v1.37.2}
# shellcheck disable=SC2034 # used by lib-build.sh
K8S_CMDS="kube-apiserver kube-controller-manager kube-scheduler kubelet kubectl"
BIN=$WORK/bin RUN=$WORK/run PKI=$WORK/pki LOGS=$WORK/logs IMG=$WORK/img
mkdir -p "$BIN" "$RUN" "$PKI" "$LOGS" "$IMG"
export PATH=$ROOT/.bin:$BIN:$PATH KUBECONFIG=$RUN/admin.kubeconfig
export HELM_CACHE_HOME=$WORK/helm/cache HELM_CONFIG_HOME=$WORK/helm/config HELM_DATA_HOME=$WORK/helm/data

# The credentials the fake Zendesk accepts, in one place.
# shellcheck source=fake-credentials.env
. "$ROOT/test/e2e/fake-credentials.env"

log() { printf '[%s +%ss] %s\n' "$(date +%T)" "$SECONDS" "$*"; }

# wait_for SECONDS CMD...: run CMD every second until it succeeds, at most SECONDS.
wait_for() {
	local t=$1 end
	shift
	end=$((SECONDS + t))
	until "$@" >/dev/null 2>&1; do
		[ $SECONDS -lt "$end" ] || { log "timeout after ${t}s: $*"; return 1; }
		sleep 1
	done
}

# start_bg NAME CMD...: start a daemon, log to $LOGS/NAME.log, record its PID.
# The daemon gets a session of its own (setsid execs it, so $! is its PID):
# a signal to the script's process group reaches the script, whose trap then
# stops the daemons in order, rather than every daemon at once.
start_bg() {
	local name=$1
	shift
	setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
	echo $! >"$RUN/$name.pid"
	log "started $name (pid $!)"
}

# stop_pid NAME: TERM the process recorded for NAME, KILL it after 10 s.
stop_pid() {
	local f=$RUN/$1.pid p
	[ -f "$f" ] || return 0
	p=$(cat "$f")
	if kill "$p" 2>/dev/null; then
		for _ in $(seq 20); do kill -0 "$p" 2>/dev/null || break; sleep 0.5; done
		kill -9 "$p" 2>/dev/null || true
	fi
	rm -f "$f"
}

PASS=0 FAIL=0
# check NAME CMD...: run one check, count it, show the tail of its output on failure.
check() {
	local name=$1
	shift
	if "$@" >"$LOGS/check.out" 2>&1; then
		PASS=$((PASS + 1))
		log "PASS $name"
	else
		FAIL=$((FAIL + 1))
		log "FAIL $name"
		tail -25 "$LOGS/check.out" | sed 's/^/    /'
	fi
}
rejects() { ! "$@"; }

# snapshot_complete DIR: DIR/latest names a dated folder whose
# sync_stats.json says "complete", and the files are the programs' user's.
snapshot_complete() {
	local dir=$1 target
	target=$(readlink "$dir/latest") || { echo "no $dir/latest"; return 1; }
	case $target in
	[0-9]*_[0-9]*) ;;
	*) echo "latest -> $target is not a dated folder"; return 1 ;;
	esac
	grep -Eq '"status": *"complete"' "$dir/$target/sync_stats.json" ||
		{ echo "$dir/$target/sync_stats.json:"; cat "$dir/$target/sync_stats.json"; return 1; }
	[ "$(stat -c %u:%g "$dir/$target/sync_stats.json")" = 65532:65532 ] ||
		{ stat "$dir/$target/sync_stats.json"; return 1; }
}

# snapshot_count DIR: how many complete (dated) snapshots DIR holds.
snapshot_count() {
	find "$1" -mindepth 1 -maxdepth 1 -type d -name '[0-9]*_[0-9]*' 2>/dev/null | wc -l
}

# snapshots_at_least DIR N: DIR holds N or more complete snapshots.
snapshots_at_least() {
	local n
	n=$(snapshot_count "$1")
	[ "$n" -ge "$2" ] || { echo "$1 holds $n snapshots, want >= $2"; ls -la "$1"; return 1; }
}
