# netdrill — build, test, benchmark.
# `make test` is what CI runs (.ci/run); it needs only Go.

GO            ?= go
STATICCHECK   := honnef.co/go/tools/cmd/staticcheck@v0.8.2
BIN           := bin/netdrill
FUZZTIME      ?= 5s
PKGS          := ./...

.PHONY: all build test verify fmt-check tidy-check vet staticcheck unit fuzz-smoke fuzz e2e bench demo clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/netdrill

## test: everything CI checks
test: verify unit fuzz-smoke

verify: fmt-check tidy-check vet staticcheck

## tidy-check: go.mod/go.sum are what `go mod tidy` makes
tidy-check:
	@$(GO) mod tidy -diff >/dev/null || { echo "go.mod/go.sum are not tidy: run go mod tidy"; $(GO) mod tidy -diff; exit 1; }

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

staticcheck:
	$(GO) run $(STATICCHECK) $(PKGS)

unit:
	$(GO) test -race -count=1 $(PKGS)

## fuzz-smoke: a few seconds of every fuzz target (.ci/fuzz retries only
## Go's own fuzz-coordinator deadline race, golang/go#75804)
fuzz-smoke:
	@GO=$(GO) .ci/fuzz $(FUZZTIME)

## fuzz: every fuzz target for a long run outside CI (FUZZTIME, default
## 10m per target; `make fuzz FUZZTIME=1h`). Prints each target's execs;
## a failure stops with the crasher saved under testdata/fuzz.
fuzz: FUZZTIME := $(if $(filter command line environment,$(origin FUZZTIME)),$(FUZZTIME),10m)
fuzz:
	@GO=$(GO) .ci/fuzz $(FUZZTIME) --report

## bench: every benchmark, with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## demo: the main job on the embedded example
demo: build
	./$(BIN) run

clean:
	rm -rf bin
