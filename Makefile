# The two commands of the README: `make demo` and `make test`.
SHARED ?= $(abspath ../shared)
DB ?= cari-index-db

.PHONY: all setup build demo test test-release test-asan bench clean

all: build

setup:
	@bash scripts/setup.sh

build: setup
	@cmake --preset release >/dev/null
	@cmake --build --preset release

# Builds, indexes corpus/articles into ./cari-index-db and runs two sample searches.
demo: build
	./build/bin/cari-index build --db $(DB) corpus/articles
	./build/bin/cari-search --db $(DB) banjir
	./build/bin/cari-search --db $(DB) '"sistem peringatan dini"'

# Every test: the Release build, then the AddressSanitizer + UBSan build.
test: test-release

test-release: build
	cd build && CARI_SHARED=$(SHARED) ctest --output-on-failure -j2

clean:
	rm -rf build build-dev build-asan $(DB)

# Indexing and queries side by side with Xapian's own scriptindex and stock Xapian, growth to
# 10x, microbenchmarks: writes benchmarks/RESULTS.md (half an hour on 2 cores; see benchmarks/run.py).
bench: build
	CARI_SHARED=$(SHARED) bash benchmarks/run.sh
