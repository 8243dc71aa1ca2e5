module github.com/zendesk-sync/zendesk-sync

go 1.26.0

require (
	github.com/golang-jwt/jwt/v5 v5.3.1
	github.com/google/go-cmp v0.7.0
	github.com/kelseyhightower/envconfig v1.4.0
	github.com/sethvargo/go-retry v0.5.0
	golang.org/x/sync v0.25.0
	golang.org/x/time v0.16.0
)
