# The project's commands. `make demo` and `make test` are the two the
# README starts with; everything they need is installed by the project's
# own scripts (tools/install.sh, test/e2e/cluster.sh deps).

GO      ?= go
BIN     := $(CURDIR)/.bin
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
export PATH := $(BIN):$(PATH)

.PHONY: build demo test deps test-quick fmt vet lint unit chart e2e bench clean

# Static binaries of the programs, the fake and the benchmark, built as the
# Dockerfile builds them.
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

# Both programs against the bundled fake Zendesk; snapshots under ./data.
demo: build
	scripts/demo.sh

# Every test: the quick ones, then the real single-node Kubernetes. The
# Debian packages come first, so that the chart tests find shellcheck.
test: deps
	$(MAKE) test-quick
	$(MAKE) e2e

# Debian packages the tests use (needs root; skipped when present).
deps:
	test/e2e/cluster.sh deps

test-quick: fmt vet lint unit chart

fmt:
	@out=$$(gofmt -l cmd internal tools) || exit 1; \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...
	cd tools && $(GO) vet ./...

lint:
	tools/install.sh golangci-lint
	golangci-lint run ./...
	cd tools && golangci-lint run --config ../.golangci.yml ./...

unit:
	$(GO) test -race -count=1 ./...

# Chart tests (helm lint and template, strict decoding, the env contract,
# the schema) and actionlint over the workflows, from the tools module.
chart:
	tools/install.sh helm actionlint
	cd tools && $(GO) test -count=1 -timeout 30m ./...

e2e: build
	test/e2e/cluster.sh all

# Requests, wall time and peak memory of each program against the fake in
# its own process; not part of `make test`.
bench: build
	$(BIN)/zendesk-bench -bin $(BIN)

clean:
	rm -rf $(BIN) data
