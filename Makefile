# A thin layer over CMake, as neovim has: `make run`, `make test`.
BUILD     ?= build
ASAN      ?= build-asan
FUZZ      ?= build-fuzz
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
EXAMPLE   ?= tests/fixtures/talk-02-kex-no-mac

.PHONY: all deps test-deps build run test unit asan fuzz-smoke lab bench clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

# The main job: the TUI on the lab on a terminal (a private sshd to break
# and diagnose); elsewhere (a pipe, CI) the analysis of the talk's
# problem 2, client and server logs.
run: build
	@if [ -t 0 ] && [ -t 1 ]; then exec $(BUILD)/sshdoctor lab; else \
	  $(BUILD)/sshdoctor analyze --client $(EXAMPLE)/client.log \
	    --server $(EXAMPLE)/server.log; fi

# Everything CI runs: the build, the unit and fixture tests, the KB lint,
# the same tests under ASan+UBSan, and a short run of every fuzz target.
test: test-deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo
	cmake --build $(BUILD) -j $(JOBS)
	ctest --test-dir $(BUILD) --output-on-failure
	$(MAKE) asan fuzz-smoke

asan:
	cmake -S . -B $(ASAN) -DCMAKE_BUILD_TYPE=AddressSanitizer
	cmake --build $(ASAN) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --test-dir $(ASAN) --output-on-failure -LE slow

fuzz-smoke:
	cmake -S . -B $(FUZZ) -DCMAKE_C_COMPILER=clang -DSSHDOCTOR_FUZZ=ON \
	  -DSSHDOCTOR_TESTS=OFF -DCMAKE_BUILD_TYPE=Debug
	cmake --build $(FUZZ) -j $(JOBS)
	tests/fuzz/smoke.sh $(FUZZ)

# Reproduce the catalog's problems against a real sshd (root) into fixtures.
lab: build
	tests/lab/lab.sh

bench: build
	tests/bench/bench.sh $(BUILD)/sshdoctor

clean:
	rm -rf $(BUILD) $(ASAN) $(FUZZ)
