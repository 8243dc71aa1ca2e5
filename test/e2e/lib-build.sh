#!/usr/bin/env bash
# lib-build.sh: the Kubernetes half of the "build" stage, sourced by cluster.sh.
#
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubelet and
# kubectl at K8S_VERSION from the Go module proxy, through a throwaway module
# that requires k8s.io/kubernetes (whose own go.mod replaces every k8s.io
# staging module with a local folder; here each is pinned to the published
# v0.MINOR.PATCH instead). Go's caches stay at their defaults: about 12 min
# cold on 2 cores, seconds once built (a stamp skips the build entirely).

build_kubernetes() {
	local kb=$WORK/kbuild sv=v0.${K8S_VERSION#v1.} stamp want
	want="$K8S_VERSION $(go env GOVERSION) $K8S_CMDS"
	stamp=$BIN/.kubernetes.version
	if [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
		return 0
	fi
	mkdir -p "$kb"
	(
		cd "$kb" || exit 1
		go mod download -json "k8s.io/kubernetes@$K8S_VERSION" >/dev/null
		local modfile
		modfile=$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod
		{
			printf 'module local/kbuild\n\ngo %s\n\n' "$(sed -n 's/^go //p' "$modfile")"
			sed -n 's/^godebug .*/&/p' "$modfile"
			printf '\nrequire k8s.io/kubernetes %s\n\nreplace (\n' "$K8S_VERSION"
			sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/src/k8s.io/.*#\t\1 => \1 '"$sv"'#p' "$modfile"
			printf ')\n'
		} >go.mod
		{
			printf '//go:build tools\n\npackage tools\n\nimport (\n'
			for c in $K8S_CMDS; do printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "$c"; done
			printf ')\n'
		} >tools.go
		GOFLAGS=-mod=mod go mod tidy
		local v=k8s.io/component-base/version minor=${K8S_VERSION#v1.}
		minor=${minor%%.*}
		# Without these the binaries say v0.0.0-master, which helm and kubectl dislike.
		local ldf="-s -w -X $v.gitVersion=$K8S_VERSION -X $v.gitMajor=1 -X $v.gitMinor=$minor"
		ldf="$ldf -X $v.gitTreeState=clean"
		local pkgs="" c
		for c in $K8S_CMDS; do pkgs="$pkgs k8s.io/kubernetes/cmd/$c"; done
		# shellcheck disable=SC2086 # pkgs is a list
		go build -trimpath -ldflags "$ldf" -o "$BIN/" $pkgs
	)
	echo "$want" >"$stamp"
}
