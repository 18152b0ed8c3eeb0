# relscope — `make demo` and `make test` are all a fresh clone needs.
GO      ?= go
BIN     := bin/relscope
PKGS    := ./...
# Empty: each shape's own scales (mixed 10k, 100k, 1M items; jira-server 200k, 1M).
BENCH_SCALES ?=
BENCH_SHAPES ?= mixed,jira-server
BENCH_DIR    ?= bench-out

# Ingest's Arrow table writers (ingest/loader/writer_arrow.go) need duckdb-go's duckdb_arrow
# tag; a plain `go build` still works, with DuckDB's slower Appender in their place.
export GOFLAGS := -tags=duckdb_arrow

# `relscope --version` and every output say which relscope made them: the tag (or commit) and
# the commit, linked in; a plain `go build` falls back to Go's build information.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT  ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
LDFLAGS := -X main.version=$(VERSION) -X main.commit=$(COMMIT)

.PHONY: all build test demo bench lint fmt clean fuzz fuzz-short race

all: build

# The HTML dashboard embeds Apache ECharts (reports/html, go:embed): the version go-echarts
# v2.6.7 targets, fetched once from the npm registry, checked against its SHA-256, git-ignored.
# Every target that compiles reports/html (build, vet, test) depends on it.
ECHARTS_VERSION := 5.4.3
ECHARTS_SHA256  := 1156429a16a38cb8604dcc6518c19406d4226142d908f8edd2e3531443c54d19
ECHARTS_JS      := reports/html/assets/echarts.min.js

$(ECHARTS_JS):
	@echo "fetching echarts@$(ECHARTS_VERSION) from the npm registry (once)"
	@tmp=$$(mktemp -d) && \
		(cd $$tmp && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null && \
		 tar xzf echarts-$(ECHARTS_VERSION).tgz package/dist/echarts.min.js) && \
		echo "$(ECHARTS_SHA256)  $$tmp/package/dist/echarts.min.js" | sha256sum -c --quiet - && \
		mv $$tmp/package/dist/echarts.min.js $@.tmp && mv $@.tmp $@ && rm -rf $$tmp

# Go modules come from the module proxy on first build (go.sum pins them).
build: $(ECHARTS_JS)
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/relscope

test: $(ECHARTS_JS)
	$(GO) vet $(PKGS)
	$(GO) test -count=1 -timeout 30m $(PKGS)
	@echo "the ingest loader again as a plain go build makes it (DuckDB's Appender):"
	GOFLAGS= $(GO) vet ./ingest/...
	GOFLAGS= $(GO) test -count=1 ./ingest/loader
	@$(MAKE) --no-print-directory race

# Every fuzz target of every package, one after the other, FUZZTIME each (one worker, so the
# machine stays usable): `make fuzz-short` (CI, .ci/run: 2s each, about a minute in all once
# the instrumented test binaries are built) and `make fuzz` (60s each) for a longer look.
# A package's instrumented test binary is built once (go test -c -fuzz) and run per target;
# what a run finds is written to the package's testdata/fuzz, and it fails. A bare "context
# deadline exceeded" with no failing input written is Go's fuzzing coordinator racing its own
# -fuzztime deadline (golang/go#51484, #75804), not a finding: that target is run once more, and
# a second such stop is reported and passed over.
FUZZ_PKGS := $(sort $(dir $(shell grep -rl --include='*_test.go' '^func Fuzz' .)))
FUZZTIME  ?= 2s
FUZZ_DIR  ?= $(abspath bin/fuzz)
fuzz-short: $(ECHARTS_JS)
	@set -e; mkdir -p $(FUZZ_DIR); start=$$(date +%s); n=0; \
	for pkg in $(FUZZ_PKGS); do \
		bin=$(FUZZ_DIR)/$$(echo $$pkg | tr -c 'a-z0-9\n' _).test; \
		$(GO) test -c -fuzz=. -o $$bin $$pkg; \
		for target in $$(cd $$pkg && $$bin -test.list '^Fuzz'); do \
			echo "fuzz $$pkg $$target ($(FUZZTIME))"; \
			for try in 1 2; do \
				if (cd $$pkg && $$bin -test.run '^$$' -test.fuzz "^$$target\$$" -test.fuzztime $(FUZZTIME) \
					-test.parallel 1 -test.fuzzcachedir $(FUZZ_DIR)/cache >$(FUZZ_DIR)/last.log 2>&1); then break; fi; \
				if grep -q 'context deadline exceeded' $(FUZZ_DIR)/last.log && \
					! grep -qE 'Failing input written|panic:|_test.go:[0-9]+:' $(FUZZ_DIR)/last.log; then \
					echo "  $$target: Go's fuzzer stopped on its own deadline having found nothing (golang/go#51484): $$( [ $$try = 1 ] && echo 'once more' || echo 'passed over' )"; \
					continue; \
				fi; \
				cat $(FUZZ_DIR)/last.log; exit 1; \
			done; \
			n=$$((n+1)); \
		done; \
	done; echo "fuzzed $$n targets, $(FUZZTIME) each, in $$(( $$(date +%s) - start ))s"

fuzz:
	$(MAKE) fuzz-short FUZZTIME=60s

# The race detector on the packages that run goroutines of their own: the loader's worker
# and Arrow inserter, the scheduler and its jobs (a run with a concurrent reader and a webhook
# receiver, the lock wait), the notifications; then `serve` as a process — the race-built test
# binary: gocron's runs, the HTTP server, SIGTERM (a race makes it exit 66) — and the parallel
# ingest mapper. `make test` ends with it.
RACE_TESTS := TestServeReRunsAndStopsOnSIGTERM|TestMapInOrder|TestJiraJSONMappedInParallel
race: $(ECHARTS_JS)
	$(GO) test -race -count=1 -short ./ingest/loader ./pipeline/jobs ./pipeline/notify ./internal/atomicfile
	$(GO) test -race -count=1 -run '$(RACE_TESTS)' ./cmd/relscope ./ingest

demo: build
	./$(BIN) demo --out demo-out

# Benchmarks (not part of `make test`): the hot parsers, then the whole pipeline for each of
# BENCH_SHAPES (relscope fixtures --shape) at each of BENCH_SCALES items — ingest against
# DuckDB's own read_csv/read_json on the same files, build, named queries, every report that
# exists — with time and peak memory per step, as a table and as JSON in $(BENCH_DIR).
# Fixtures are generated once and cached there.
bench: build
	@mkdir -p $(BENCH_DIR)
	$(GO) test -run '^$$' -bench 'ParseDate|NativeDeployments|JSONArrayRecords|JiraJSONPage|JiraCSV' -benchmem ./ingest
	RELSCOPE_BENCH_SCALES=$(BENCH_SCALES) RELSCOPE_BENCH_SHAPES=$(BENCH_SHAPES) RELSCOPE_BENCH_DIR=$(abspath $(BENCH_DIR)) RELSCOPE_BIN=$(abspath $(BIN)) \
		$(GO) test -run '^$$' -bench 'Pipeline' -benchtime 1x -timeout 90m ./cmd/relscope

lint: $(ECHARTS_JS)
	$(GO) vet $(PKGS)
	GOFLAGS= $(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin demo-out $(BENCH_DIR) $(ECHARTS_JS)
