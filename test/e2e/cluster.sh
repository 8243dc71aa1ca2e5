#!/usr/bin/env bash
# cluster.sh: end-to-end test of the image and the chart on a real,
# single-node Kubernetes built from source on this machine.
#
# Usage: test/e2e/cluster.sh all          (deps build binaries images up test down)
#        test/e2e/cluster.sh STAGE...     (any of those stages, in order)
#
#   deps      apt-get: etcd-server, containerd, runc, CNI plugins, buildah,
#             busybox-static, openssl, curl, file, binutils, shellcheck (the
#             chart tests use shellcheck too); skipped when all are present
#   build     helm (tools/install.sh) and the Kubernetes binaries from the Go
#             module proxy: about 17 min cold on 2 cores, seconds when cached
#   binaries  the Dockerfile's build command gives static binaries that back up
#             the fake Zendesk as UID 65532 with nothing writable but /data
#   images    the chart's image from our Dockerfile (buildah), the fake, a pause
#   up        etcd, kube-apiserver, controller-manager, scheduler, containerd,
#             kubelet, all on 127.0.0.1; pods on a host-only bridge
#   test      the chart, installed into a namespace that enforces the
#             restricted Pod Security Standard, against the fake as a pod
#   down      stop everything by PID, unmount, remove the bridge
#
# "all" stops the cluster on every exit path (trap) and ends with the line
# "N passed, N failed"; it exits non-zero when a check failed.
# Needs root, Go 1.26 and Debian 12 packages. Traffic stays on loopback and on
# the bridge this script creates.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$here/lib.sh"
# shellcheck source=lib-build.sh
. "$here/lib-build.sh"
# shellcheck source=lib-binaries.sh
. "$here/lib-binaries.sh"
# shellcheck source=lib-images.sh
. "$here/lib-images.sh"
# shellcheck source=lib-cluster.sh
. "$here/lib-cluster.sh"
# shellcheck source=lib-test.sh
. "$here/lib-test.sh"

deps() {
	local have=1 c
	for c in etcd containerd runc ctr buildah busybox openssl curl file readelf flock iptables shellcheck; do
		command -v "$c" >/dev/null || have=0
	done
	[ -x /usr/lib/cni/bridge ] || have=0
	[ "$have" = 1 ] && return 0
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		etcd-server containerd runc containernetworking-plugins buildah iptables \
		busybox-static openssl curl ca-certificates file binutils util-linux shellcheck >/dev/null
}

build() {
	local t0=$SECONDS
	bash "$ROOT/tools/install.sh" helm
	log "helm ready in $((SECONDS - t0))s"
	t0=$SECONDS
	build_kubernetes
	log "kubernetes binaries ($K8S_CMDS) ready in $((SECONDS - t0))s"
}

SUMMARY_DONE="" DOWN_ON_EXIT=""
summary() {
	SUMMARY_DONE=1
	echo "$PASS passed, $FAIL failed"
	[ "$FAIL" = 0 ]
}

# on_exit: whatever ended the run, stop the cluster (stage "all"); when a stage itself
# failed (not a check), count that and still print the closing line.
on_exit() {
	local rc=$?
	trap - EXIT
	# A signal may arrive inside check, whose output goes to a file: write to
	# the script's own stdout (fd 3) instead.
	[ -z "$DOWN_ON_EXIT" ] || down >>"$LOGS/down.log" 2>&1 || true
	if [ -z "$SUMMARY_DONE" ]; then
		FAIL=$((FAIL + 1))
		log "FAIL a stage stopped with exit code $rc (logs: $LOGS)" >&3
		summary >&3 || true
	fi
	[ "$rc" != 0 ] || [ "$FAIL" = 0 ] || rc=1
	exit "$rc"
}

all() {
	DOWN_ON_EXIT=1
	trap on_exit EXIT
	trap 'exit 130' INT TERM
	local t0=$SECONDS
	deps
	build
	log "deps and build took $((SECONDS - t0))s"
	binaries
	images
	up
	test_chart
	down
	log "all stages took ${SECONDS}s"
	summary
}

exec 3>&1
[ $# -gt 0 ] || set -- all
for stage in "$@"; do
	case $stage in
	all) all ;;
	deps | build | binaries | images | up | down) "$stage" ;;
	test)
		trap on_exit EXIT
		test_chart
		summary
		;;
	*) echo "unknown stage $stage" >&2; exit 2 ;;
	esac
done
