#!/usr/bin/env bash
# install.sh [TOOL...]: build the project's pinned tools into .bin/ at the
# repository root, from the versions in tools/go.mod (Go module proxy only).
# A tool is rebuilt only when its pinned version changed. Tools: helm,
# actionlint (both from tools/go.mod), golangci-lint (from tools/lint/go.mod,
# a module of its own: its dependencies clash with actionlint's). Default: all.
set -euo pipefail

tools_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=$(dirname "$tools_dir")/.bin
mkdir -p "$bin"
[ $# -gt 0 ] || set -- helm actionlint golangci-lint

for tool in "$@"; do
	moddir=$tools_dir
	case $tool in
	helm) mod=helm.sh/helm/v4 pkg=helm.sh/helm/v4/cmd/helm
		xflag="-X helm.sh/helm/v4/internal/version.version=" ;;
	actionlint) mod=github.com/rhysd/actionlint pkg=github.com/rhysd/actionlint/cmd/actionlint
		xflag="-X github.com/rhysd/actionlint.version=" ;;
	golangci-lint) mod=github.com/golangci/golangci-lint/v2
		pkg=github.com/golangci/golangci-lint/v2/cmd/golangci-lint xflag="-X main.version="
		moddir=$tools_dir/lint ;;
	*) echo "install.sh: unknown tool $tool" >&2; exit 2 ;;
	esac
	version=$(cd "$moddir" && go list -m -f '{{.Version}}' "$mod")
	stamp=$bin/.$tool.version
	if [ -x "$bin/$tool" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$version" ]; then
		continue
	fi
	(cd "$moddir" && go build -trimpath -ldflags "-s -w $xflag$version" -o "$bin/$tool" "$pkg")
	echo "$version" >"$stamp"
	echo "install.sh: built $tool $version into $bin" >&2
done
