# kasip: the two commands a user needs.
#   make run    install what is missing, build, create kasip.db, run the main job,
#               then serve the API on $(LISTEN) until Ctrl-C
#   make test   the same set-up, then every test under ASan+UBSan
# Everything else is CMake (see CMakePresets.json).

KSP_WERROR ?= OFF
MAKEFLAGS += --no-print-directory
KASIP_DB ?= kasip.db
JOBS ?= 2
KASIP = build/release/kasip
LISTEN ?= 127.0.0.1:8080

.PHONY: run test deps release asan fuzz clang db bench clean format tidy backtest

run: db
	$(KASIP) --db $(KASIP_DB) summary
	$(KASIP) --db $(KASIP_DB) forecast --scenario baseline
	@echo
	$(KASIP) --db $(KASIP_DB) serve --listen $(LISTEN)

test: db asan fuzz
	ctest --preset fuzz
	ctest --preset asan

deps:
	@scripts/deps.sh

# The back-tests of docs/backtest.md, on a fresh database.
backtest: release
	@scripts/backtest.sh $(KASIP) docs/backtest

release: deps
	@cmake --preset release -DKSP_WERROR=$(KSP_WERROR) >/dev/null
	@cmake --build --preset release -j $(JOBS)

db: release
	@if [ ! -f $(KASIP_DB) ]; then $(KASIP) --db $(KASIP_DB) init; fi

asan: deps
	@cmake --preset asan -DKSP_WERROR=$(KSP_WERROR) >/dev/null
	@cmake --build --preset asan -j $(JOBS)

fuzz: deps
	@cmake --preset fuzz -DKSP_WERROR=$(KSP_WERROR) >/dev/null
	@cmake --build --preset fuzz -j $(JOBS)

clang: deps
	@cmake --preset clang -DKSP_WERROR=ON >/dev/null
	@cmake --build --preset clang -j $(JOBS)

bench: release
	bench/run.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

tidy: asan
	clang-tidy -p build/asan $$(git ls-files 'lib/*.c' 'src/*.c')

clean:
	rm -rf build
