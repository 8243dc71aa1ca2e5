# One image holding both programs, conversations-sync and helpcenter-sync:
# one tag to pull, scan and pin, and one image value in the chart.
# The fake Zendesk (cmd/zendesk-fake) is a test tool and is not shipped.
#
#   docker buildx build --platform linux/amd64,linux/arm64 \
#     --build-arg VERSION=1.2.3 -t ghcr.io/OWNER/zendesk-sync:1.2.3 .
#
# Base images are build arguments so a test can point them at local copies.
# Both are pinned by digest; the tag beside each digest says what it is.
# Bump them on purpose, tag and digest together.
ARG GO_IMAGE=golang:1.26.8-bookworm@sha256:a688600ca24f8a4d3ca77f95b0dd40704a9fc787c826660eb7ba0b641b8b175d
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot@sha256:f5b485ea962d9bd1186b2f6b3a061191539b905b82ec395de78cbfae51f20e35

# The builder runs on the machine's own platform and cross-compiles, so an
# arm64 image builds without emulating arm64.
FROM --platform=$BUILDPLATFORM ${GO_IMAGE} AS build
WORKDIR /src

# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download

COPY cmd/ cmd/
COPY internal/ internal/
COPY tools/build-binaries.sh tools/
ARG TARGETOS
ARG TARGETARCH
ARG VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH VERSION=$VERSION \
    sh tools/build-binaries.sh /out

# Static binaries on distroless: CA certificates, /etc/passwd with nonroot
# (65532), no shell, no package manager.
FROM ${RUNTIME_IMAGE}
ARG VERSION=dev
LABEL org.opencontainers.image.title="zendesk-sync" \
      org.opencontainers.image.description="Run-once backups of Zendesk messaging conversations and help center content" \
      org.opencontainers.image.version="${VERSION}"
COPY --from=build /out/conversations-sync /out/helpcenter-sync /usr/local/bin/
USER 65532:65532
# No entrypoint: the chart runs each program by its path. Without arguments the
# image prints the help center program's variables.
CMD ["/usr/local/bin/helpcenter-sync", "--help"]
