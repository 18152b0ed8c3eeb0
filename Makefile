# relscope — `make demo` and `make test` are all a fresh clone needs.
GO      ?= go
BIN     := bin/relscope
PKGS    := ./...
BENCH_SCALES ?= 10000,100000,1000000
BENCH_DIR    ?= bench-out

# Ingest's Arrow table writers (ingest/loader/writer_arrow.go) need duckdb-go's duckdb_arrow
# tag; a plain `go build` still works, with DuckDB's slower Appender in their place.
export GOFLAGS := -tags=duckdb_arrow

.PHONY: all build test demo bench lint fmt clean

all: build

# Go modules come from the module proxy on first build (go.sum pins them).
build:
	$(GO) build -o $(BIN) ./cmd/relscope

test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)
	@echo "the ingest loader again as a plain go build makes it (DuckDB's Appender):"
	GOFLAGS= $(GO) vet ./ingest/...
	GOFLAGS= $(GO) test -count=1 ./ingest/loader

demo: build
	./$(BIN) demo --out demo-out

# Benchmarks (not part of `make test`): the hot parsers, then the whole pipeline at each of
# BENCH_SCALES items — ingest against DuckDB's own read_csv on the same files, build, named
# queries, every report that exists — with time and peak memory per step, as a table and as
# JSON in $(BENCH_DIR). Fixtures are generated once and cached there.
bench: build
	@mkdir -p $(BENCH_DIR)
	$(GO) test -run '^$$' -bench 'ParseDate|NativeDeployments|JSONArrayRecords|JiraJSONPage|JiraCSV' -benchmem ./ingest
	RELSCOPE_BENCH_SCALES=$(BENCH_SCALES) RELSCOPE_BENCH_DIR=$(abspath $(BENCH_DIR)) RELSCOPE_BIN=$(abspath $(BIN)) \
		$(GO) test -run '^$$' -bench 'Pipeline' -benchtime 1x -timeout 90m ./cmd/relscope

lint:
	$(GO) vet $(PKGS)
	GOFLAGS= $(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin demo-out $(BENCH_DIR)
