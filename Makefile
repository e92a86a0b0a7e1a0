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

## fuzz-smoke: a few seconds of every fuzz target
fuzz-smoke:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do \
	    echo "fuzz $$pkg $$f ($(FUZZTIME))"; \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1s $$pkg > .fuzz.log 2>&1 || { cat .fuzz.log; rm -f .fuzz.log; exit 1; }; \
	  done; \
	done; rm -f .fuzz.log

## fuzz: every fuzz target for a long run outside CI (FUZZTIME, default
## 10m per target; `make fuzz FUZZTIME=1h`). Prints each target's execs;
## a failure stops with the crasher saved under testdata/fuzz.
fuzz: FUZZTIME := $(if $(filter command line environment,$(origin FUZZTIME)),$(FUZZTIME),10m)
fuzz:
	@set -e; for pkg in $$($(GO) list $(PKGS)); do \
	  dir=$$($(GO) list -f '{{.Dir}}' $$pkg); \
	  for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$dir/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do \
	    $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$pkg > .fuzz.log 2>&1 || { cat .fuzz.log; rm -f .fuzz.log; exit 1; }; \
	    echo "$$pkg $$f: $$(grep -o 'elapsed: [^,]*, execs: [0-9]*' .fuzz.log | tail -1)"; \
	  done; \
	done; rm -f .fuzz.log

## bench: every benchmark, with allocations
bench:
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)

## demo: the main job on the embedded example
demo: build
	./$(BIN) run

clean:
	rm -rf bin
