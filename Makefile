# relscope — `make demo` and `make test` are all a fresh clone needs.
GO      ?= go
BIN     := bin/relscope
PKGS    := ./...
BENCH_SCALE ?= 100000
BENCH_DIR   ?= bench-out

.PHONY: all build test demo bench lint fmt clean

all: build

# Go modules come from the module proxy on first build (go.sum pins them).
build:
	$(GO) build -o $(BIN) ./cmd/relscope

test:
	$(GO) vet $(PKGS)
	$(GO) test -count=1 $(PKGS)

demo: build
	./$(BIN) demo --out demo-out

# Benchmarks: hot parsers (go test -bench) and relscope ingest against DuckDB's own
# read_csv loading the same files raw, on generated fixtures cached in $(BENCH_DIR).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem ./ingest
	RELSCOPE_BENCH_SCALE=$(BENCH_SCALE) RELSCOPE_BENCH_DIR=$(abspath $(BENCH_DIR)) \
		$(GO) test -run '^$$' -bench 'IngestVsRaw' -benchtime 1x -timeout 60m ./ingest

lint:
	$(GO) vet $(PKGS)
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin demo-out $(BENCH_DIR)
