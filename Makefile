# aelab: `make demo` and `make test` set everything up on a fresh Debian 12 machine.
BUILD ?= build
JOBS ?= 2
# Tests wait on processes they start (run_sweep, Slurm's daemons) part of the time: one more
# test than cores keeps the cores busy.
TEST_JOBS ?= $(shell echo $$(( $(JOBS) + 1 )))
CMAKE_FLAGS ?=

.PHONY: all deps build test demo bench bench-launcher mnist fuzz reproduce clean

all: build

deps:
	bash tools/install_deps.sh

# Ninja where installed (install_deps.sh installs it): a clean build on 2 cores took 357 s with
# it, against 403 s with CMake's Makefiles.
$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) $$(command -v ninja >/dev/null && echo -G Ninja) \
	  -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(TEST_JOBS)

demo: build
	$(BUILD)/bin/run_sweep -c sweeps/bottleneck --quiet
	$(BUILD)/bin/make_table results/bottleneck --rows model.latent_dim --cols family --metric test/sse
	@echo
	@echo "HDF5 results: results/bottleneck/summary.h5 (one file per run in results/bottleneck/runs/)"

mnist:
	bash tools/fetch_mnist.sh

# Reproductions of published results (configs/reproduce/): all, or NAME=...; OVERRIDES='...'
# for another budget. Reports in results/reproduce/<name>.md.
reproduce: build
	BUILD=$(abspath $(BUILD)) NAME="$(NAME)" OVERRIDES="$(OVERRIDES)" bash tools/reproduce.sh

fuzz: deps
	bash tools/fuzz.sh

# Every workload against its peer (plain PyTorch, scikit-learn), one table of ratios; REPS=3,
# ONLY=mlp,mlp_small,conv,vae,pca,sweep; BLAS_CORE=Haswell|auto sets OPENBLAS_CORETYPE for both
# sides (auto: OpenBLAS's own choice). History in results/bench/history.jsonl.
bench: build
	bash tools/install_deps.sh --bench
	/usr/bin/python3 bench/run_bench.py --build $(BUILD) --reps $(or $(REPS),3) --only "$(ONLY)" \
	  $(if $(SHARED_PEER),--shared-peer "$(SHARED_PEER)") \
	  $(if $(BLAS_CORE),--blas-core "$(BLAS_CORE)")

# Jobs per hour of a 12-job sweep: one job at a time against two at once, in one run.
bench-launcher: build
	bash bench/launcher.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-fuzz
