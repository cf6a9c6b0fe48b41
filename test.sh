#!/usr/bin/env bash
# The test command: formatting, vet, and every test on SQLite and on a
# throwaway PostgreSQL cluster (started by the tests themselves from the
# local PostgreSQL binaries; see internal/pgtest).
set -euo pipefail
cd "$(dirname "$0")"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted:"; echo "$unformatted"; exit 1
fi
go vet ./...
go test -count=1 -timeout 15m ./... "$@"
