#!/usr/bin/env bash
# lib-images.sh: the "images" stage, sourced by cluster.sh. No registry is
# reachable, so the image the chart deploys is built from the repository's
# own Dockerfile with buildah, its two base images pointed (through the
# Dockerfile's GO_IMAGE and RUNTIME_IMAGE arguments) at local stand-ins:
#
#   localhost/e2e/go-builder:local   this machine's Go toolchain, a static
#                                     busybox as /bin/sh, and the root module's
#                                     dependencies as a file:// module proxy
#   localhost/e2e/distroless:local   the layout of distroless static nonroot:
#                                     /etc/passwd with nonroot (65532), CA
#                                     certificates, /tmp, no shell
#
# Everything else in the Dockerfile (cache mounts, the build command,
# TARGETOS/TARGETARCH, USER 65532:65532) runs as written. Two more images,
# FROM scratch: the pod sandbox (tools/cmd/pause) and the fake Zendesk.

buildah_() {
	buildah --storage-driver vfs --root "$WORK/buildah/root" --runroot "$WORK/buildah/runroot" "$@"
}

APP_IMAGE=localhost/zendesk-sync:e2e
FAKE_IMAGE=localhost/e2e/zendesk-fake:local
PAUSE_IMAGE=localhost/e2e/pause:local

# save_image NAME: write NAME as an OCI archive for containerd to import.
save_image() {
	local file
	file=$IMG/$(echo "$1" | tr '/:' '__').tar
	rm -f "$file"
	buildah_ push -q "$1" "oci-archive:$file:$1"
}

builder_image() {
	local stage=$IMG/builder-root
	rm -rf "$stage"
	mkdir -p "$stage/bin" "$stage/tmp" "$stage/root" "$stage/go"
	chmod 1777 "$stage/tmp"
	cp /bin/busybox "$stage/bin/busybox"
	ln -s busybox "$stage/bin/sh"
	# The root module's dependencies, as a module proxy on disk.
	rm -rf "$IMG/gomodcache"
	(cd "$ROOT" && GOMODCACHE=$IMG/gomodcache GOFLAGS=-modcacherw go mod download)
	cp -r "$IMG/gomodcache/cache/download" "$stage/goproxy"
	local c
	c=$(buildah_ from scratch)
	buildah_ copy -q "$c" "$stage" / >/dev/null
	buildah_ copy -q "$c" "$(go env GOROOT)" /usr/local/go >/dev/null
	buildah_ config --env PATH=/usr/local/go/bin:/bin --env HOME=/root --env GOPATH=/go \
		--env GOPROXY=file:///goproxy --env GOSUMDB=off --env GOTOOLCHAIN=local "$c"
	buildah_ commit -q --rm "$c" localhost/e2e/go-builder:local >/dev/null
}

runtime_image() {
	local stage=$IMG/runtime-root
	rm -rf "$stage"
	mkdir -p "$stage/etc/ssl/certs" "$stage/tmp" "$stage/home/nonroot"
	printf 'root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n' >"$stage/etc/passwd"
	printf 'root:x:0:\nnonroot:x:65532:\n' >"$stage/etc/group"
	cp /etc/ssl/certs/ca-certificates.crt "$stage/etc/ssl/certs/"
	chmod 1777 "$stage/tmp"
	chown 65532:65532 "$stage/home/nonroot"
	local c
	c=$(buildah_ from scratch)
	buildah_ copy -q "$c" "$stage" / >/dev/null
	buildah_ config --env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		--env SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
		--user 65532:65532 --workingdir /home/nonroot "$c"
	buildah_ commit -q --rm "$c" localhost/e2e/distroless:local >/dev/null
}

# scratch_image NAME BINARY: an image holding one static binary at /NAME-of-binary.
scratch_image() {
	local c
	c=$(buildah_ from scratch)
	buildah_ copy -q "$c" "$2" "/$(basename "$2")" >/dev/null
	buildah_ config --entrypoint "[\"/$(basename "$2")\"]" --user 65532:65532 "$c"
	buildah_ commit -q --rm "$c" "$1" >/dev/null
}

# app_image_layout: the built image has both programs, static, runs as
# 65532:65532, and has no shell.
app_image_layout() {
	local c m rc=0
	[ "$(buildah_ inspect --format '{{.OCIv1.Config.User}}' "$APP_IMAGE")" = 65532:65532 ] ||
		{ echo "image user is not 65532:65532"; rc=1; }
	c=$(buildah_ from --pull=never "$APP_IMAGE")
	m=$(buildah_ mount "$c")
	for f in conversations-sync helpcenter-sync; do
		is_static "$m/usr/local/bin/$f" || rc=1
	done
	if [ -e "$m/bin/sh" ] || [ -e "$m/bin/busybox" ]; then echo "the image has a shell"; rc=1; fi
	[ ! -e "$m/usr/local/bin/zendesk-fake" ] || { echo "the image ships the fake"; rc=1; }
	buildah_ umount "$c" >/dev/null
	buildah_ rm "$c" >/dev/null
	return $rc
}

images() {
	local t0=$SECONDS out=$WORK/image-bin
	command -v busybox >/dev/null || { echo "busybox missing (run the deps stage)" >&2; return 1; }
	builder_image
	runtime_image
	log "base images ready in $((SECONDS - t0))s"
	t0=$SECONDS
	buildah_ bud --isolation chroot --pull=never --layers=false -q --platform "linux/$(go env GOARCH)" \
		--build-arg GO_IMAGE=localhost/e2e/go-builder:local \
		--build-arg RUNTIME_IMAGE=localhost/e2e/distroless:local \
		--build-arg VERSION=e2e \
		-f "$ROOT/Dockerfile" -t "$APP_IMAGE" "$ROOT" >"$LOGS/buildah-bud.log" 2>&1 ||
		{ tail -30 "$LOGS/buildah-bud.log" >&2; return 1; }
	log "$APP_IMAGE built from the Dockerfile in $((SECONDS - t0))s ($(buildah_ images --format '{{.Size}}' "$APP_IMAGE"))"
	check "image: both programs, static, user 65532:65532, no shell" app_image_layout

	rm -rf "$out"
	(cd "$ROOT/tools" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$out/pause" ./cmd/pause)
	(cd "$ROOT" && VERSION=e2e sh tools/build-binaries.sh "$out" ./cmd/zendesk-fake)
	scratch_image "$PAUSE_IMAGE" "$out/pause"
	scratch_image "$FAKE_IMAGE" "$out/zendesk-fake"
	for i in "$APP_IMAGE" "$FAKE_IMAGE" "$PAUSE_IMAGE"; do save_image "$i"; done
	log "images saved in $((SECONDS - t0))s"
}
