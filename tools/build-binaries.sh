#!/bin/sh
# build-binaries.sh OUTDIR [PACKAGE...]
#
# The one build command for the shipped programs. The Dockerfile runs this
# script, and so do the tests, so what is tested is what is shipped.
#
# Environment: GOOS and GOARCH (default: the host's), VERSION (default: dev).
# Packages default to the two programs in the image; the fake Zendesk is
# built with the same flags by the end-to-end test but never shipped.
set -eu

out=${1:?usage: build-binaries.sh OUTDIR [PACKAGE...]}
shift
[ $# -gt 0 ] || set -- ./cmd/conversations-sync ./cmd/helpcenter-sync

CGO_ENABLED=0 exec go build -trimpath \
	-ldflags "-s -w -X main.version=${VERSION:-dev}" \
	-o "$out/" "$@"
