#!/usr/bin/env bash
# lib-binaries.sh: the "binaries" stage, sourced by cluster.sh. No Docker
# engine is needed: it runs the Dockerfile's own build command
# (tools/build-binaries.sh) and checks what it produces.
#
#   - the binaries for linux/amd64 and linux/arm64 are static (no ELF
#     interpreter, no dynamic section) and carry the version given;
#   - each program, run as UID/GID 65532 with no supplementary groups inside
#     a root directory laid out like the image (/usr/local/bin, /etc/passwd,
#     CA certificates), bind-mounted read-only, with only /data writable,
#     backs up the fake Zendesk on loopback and publishes a complete snapshot;
#   - with DATA_DIR on the read-only root it fails and publishes nothing.

BINARIES_VERSION=e2e-$(date -u +%Y%m%d)

# is_static FILE: an ELF file with no PT_INTERP and no dynamic section.
is_static() {
	file -b "$1" | grep -q 'statically linked' || { file "$1"; return 1; }
	! readelf -lW "$1" | grep -qE 'INTERP|DYNAMIC' || { readelf -lW "$1" | grep -E 'INTERP|DYNAMIC'; return 1; }
}

# image_rootfs DIR BINDIR: the final image's layout, from the build's binaries.
image_rootfs() {
	local r=$1 bindir=$2
	rm -rf "$r"
	mkdir -p "$r/usr/local/bin" "$r/etc/ssl/certs" "$r/data" "$r/tmp" "$r/home/nonroot"
	cp "$bindir/conversations-sync" "$bindir/helpcenter-sync" "$r/usr/local/bin/"
	printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$r/etc/passwd"
	printf 'root:x:0:\nnonroot:x:65532:\n' >"$r/etc/group"
	cp /etc/ssl/certs/ca-certificates.crt "$r/etc/ssl/certs/"
	chmod 1777 "$r/tmp"
	chown 65532:65532 "$r/home/nonroot"
}

# run_sandboxed ROOTFS DATA PROGRAM VAR=VALUE...: run PROGRAM from ROOTFS as
# 65532:65532 in a private mount namespace where ROOTFS is read-only and
# DATA, mounted at /data, is the only writable place. The network is the
# host's, so the fake on 127.0.0.1 is reachable.
run_sandboxed() {
	local r=$1 data=$2 program=$3
	shift 3
	# shellcheck disable=SC2016 # $0..$2 expand in the inner shell
	env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@" \
		unshare --mount --propagation private -- sh -c '
			set -e
			mount --bind "$0" "$0"
			mount -o remount,bind,ro "$0"
			mount --bind "$1" "$0/data"
			exec unshare --root="$0" --wd=/ --setgid=65532 --setuid=65532 "/usr/local/bin/$2"
		' "$r" "$data" "$program"
}

# fails_read_only ROOTFS DATA VAR=VALUE...: helpcenter-sync exits 1 and says
# the file system is read-only.
fails_read_only() {
	local r=$1 d=$2 out rc=0
	shift 2
	out=$(run_sandboxed "$r" "$d" helpcenter-sync "$@" 2>&1) || rc=$?
	echo "$out"
	[ "$rc" = 1 ] && echo "$out" | grep -qi 'read-only file system'
}

binaries() {
	local out=$WORK/binaries arch f t0=$SECONDS
	rm -rf "$out"
	mkdir -p "$out"
	for arch in amd64 arm64; do
		check "build-binaries.sh linux/$arch" env -C "$ROOT" GOOS=linux GOARCH=$arch \
			VERSION="$BINARIES_VERSION" sh tools/build-binaries.sh "$out/$arch"
		for f in "$out/$arch"/*; do
			check "static binary: $arch/$(basename "$f") ($(du -h "$f" | cut -f1))" is_static "$f"
		done
	done
	log "binaries built and checked in $((SECONDS - t0))s"
	for f in conversations-sync helpcenter-sync; do
		check "$f --version prints the build's version" \
			sh -c "'$out/amd64/$f' --version | grep -F '$BINARIES_VERSION'"
	done

	# The fake Zendesk, built the same way, on loopback; it writes its URLs
	# to a ready file once it listens.
	env -C "$ROOT" VERSION="$BINARIES_VERSION" sh tools/build-binaries.sh "$out/fake" ./cmd/zendesk-fake
	rm -f "$RUN/fake.ready"
	start_bg fake "$out/fake/zendesk-fake" -addr 127.0.0.1:0 -ready-file "$RUN/fake.ready"
	if ! wait_for 30 test -s "$RUN/fake.ready"; then
		check "fake Zendesk starts" false
		stop_pid fake
		return 0
	fi
	local base
	base=$(sed -n 's/^ZENDESK_BASE_URL=//p' "$RUN/fake.ready")

	local rootfs=$out/rootfs data=$out/data
	image_rootfs "$rootfs" "$out/amd64"
	touch "$out/rootfs.stamp"
	rm -rf "$data"
	mkdir -p "$data"
	chown 65532:65532 "$data"
	chmod 0750 "$data"
	check "helpcenter-sync as 65532 on a read-only root publishes a snapshot" run_sandboxed \
		"$rootfs" "$data" helpcenter-sync LOG_FORMAT=text ZENDESK_BASE_URL="$base" \
		ZENDESK_EMAIL="$ZENDESK_EMAIL" ZENDESK_API_TOKEN="$ZENDESK_API_TOKEN"
	check "help center snapshot complete, owned by 65532" snapshot_complete "$data/zendesk_help_center"
	check "conversations-sync as 65532 on a read-only root publishes a snapshot" run_sandboxed \
		"$rootfs" "$data" conversations-sync LOG_FORMAT=text ZENDESK_BASE_URL="$base" \
		SUNCO_BASE_URL="$base/sc" ZENDESK_EMAIL="$ZENDESK_EMAIL" ZENDESK_API_TOKEN="$ZENDESK_API_TOKEN" \
		SUNCO_APP_ID="$SUNCO_APP_ID" SUNCO_KEY_ID="$SUNCO_KEY_ID" SUNCO_KEY_SECRET="$SUNCO_KEY_SECRET"
	check "conversations snapshot complete, owned by 65532" snapshot_complete "$data/zendesk_sync"
	check "helpcenter-sync with DATA_DIR on the read-only root fails: exit 1, read-only" \
		fails_read_only "$rootfs" "$data" LOG_FORMAT=text DATA_DIR=/tmp ZENDESK_BASE_URL="$base" \
		ZENDESK_EMAIL="$ZENDESK_EMAIL" ZENDESK_API_TOKEN="$ZENDESK_API_TOKEN"
	check "nothing written to the read-only root" sh -c "[ -z \"\$(find '$rootfs' -newer '$out/rootfs.stamp' ! -path '$rootfs/data*' -print -quit)\" ]"
	stop_pid fake
}
