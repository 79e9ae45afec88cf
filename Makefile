# The two commands of the README: `make demo` and `make test`.
SHARED ?= $(abspath ../shared)
DB ?= cari-index-db

.PHONY: all setup build demo test test-release test-asan test-fuzz bench clean

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

# Every test: the Release build, then the AddressSanitizer + UBSan build, then
# each libFuzzer target for FUZZ_SECONDS from its seeds (fuzz/README.md).
# All three run even when one fails; make test fails if any did.
test:
	@rc=0; \
	$(MAKE) --no-print-directory test-release || rc=1; \
	$(MAKE) --no-print-directory test-asan || rc=1; \
	$(MAKE) --no-print-directory test-fuzz || rc=1; \
	exit $$rc

test-release: build
	cd build && CARI_SHARED=$(SHARED) ctest --output-on-failure -j2

# The sanitizer build compiles at -O1 -g1 (the asan preset): on the slower
# 2-core machine its compile took 513 s of CPU against 1,088 at -O2 -g, and
# its tests ran no slower (115 s against 161).
# The heaviest tests stay out of the sanitizer run (the asan test preset's
# filter): the SIGKILL loop and the 50 MB line spend their time in subprocesses
# and allocation that the Release run already covers, several times slower under ASan.
test-asan: setup
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	CARI_SHARED=$(SHARED) ctest --preset asan -j2

# libFuzzer targets, built with clang (a project of its own in fuzz/).
FUZZ_SECONDS ?= 20
CLANGXX ?= $(shell command -v clang++ || command -v clang++-14)
test-fuzz: setup
	@cmake -S fuzz -B build-fuzz -DCMAKE_CXX_COMPILER=$(CLANGXX) -DCARI_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	@cmake --build build-fuzz -j2
	cd build-fuzz && ctest --output-on-failure -j2

clean:
	rm -rf build build-dev build-asan $(DB)

# Indexing and queries side by side with Xapian's own scriptindex and stock Xapian, growth to
# 10x, microbenchmarks: writes benchmarks/RESULTS.md (half an hour on 2 cores; see benchmarks/run.py).
bench: build
	CARI_SHARED=$(SHARED) bash benchmarks/run.sh
