# The two commands of the README, plus the chores behind them.
# Every target creates (or reuses) the project's virtualenv in .venv and installs what it needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
FLAGS  ?=
ARGS   ?=

.PHONY: run test export clean-nbs check-sync docs readme lab board venv outputs results

venv: $(STAMP)

$(STAMP): settings.ini setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $(STAMP)

## The main job (no arguments: the embedded sample). Pass options with ARGS="--data DIR ...".
run: $(STAMP)
	$(BIN)/fascode_mm_run $(ARGS)

## The whole test suite: nbdev_test over every notebook, one line per notebook, then "N passed, N failed".
test: $(STAMP)
	$(BIN)/fascode_mm_test $(if $(FLAGS),--flags "$(FLAGS)")

## Regenerate fascode_mm/ from the notebooks.
export: $(STAMP)
	$(BIN)/nbdev_export

## CI's sync checks: cleaning and exporting must not change any tracked file.
check-sync: $(STAMP)
	$(BIN)/nbdev_clean
	@git diff --exit-code --stat -- nbs || (echo "nbdev_clean changed notebooks: run 'make clean-nbs' and commit"; exit 1)
	$(BIN)/nbdev_export
	@git diff --exit-code --stat -- fascode_mm || (echo "notebooks and library are not in sync: run 'make export' and commit"; exit 1)
	@test -z "$$(git status --porcelain -- fascode_mm)" || (git status --porcelain -- fascode_mm; echo "nbdev_export created untracked library files"; exit 1)
	$(BIN)/fascode_mm_docs --readme-only
	@git diff --exit-code --stat -- README.md || (echo "README.md is not in sync with nbs/index.ipynb: run 'make readme' and commit"; exit 1)
	@git diff --exit-code --stat -- bench/README.md || (echo "bench/README.md is not in sync with the scripts in bench/: run 'make readme' and commit"; exit 1)
	@test -z "$$(git status --porcelain -- bench/README.md)" || (echo "bench/README.md is not committed: run 'make readme' and commit"; exit 1)

clean-nbs: $(STAMP)
	$(BIN)/nbdev_clean

## README.md from nbs/index.ipynb (and bench/README.md from the scripts' docstrings), and the docs site in _docs/ (open _docs/index.html), without Quarto.
## Options with ARGS: --check PAGE:MIN_IMAGES (e.g. 06_ablations:3), --force, --strict.
readme: $(STAMP)
	$(BIN)/fascode_mm_docs --readme-only

docs: $(STAMP)
	$(BIN)/fascode_mm_docs $(ARGS)

## JupyterLab from the project's environment.
lab: $(STAMP)
	$(BIN)/jupyter lab --notebook-dir=nbs $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

## Everything under results/, with today's code and defaults; each result records its command, commit, date and versions.
## The main runs, ranking and pooling benchmarks take about 15 minutes on 2 cores; the ablations (102 runs, about 40 minutes in
## 2 processes) keep a finished run whose saved configuration is today's: remove results/ablations first to recompute them all.
results: $(STAMP)
	$(BIN)/fascode_mm_run --out results/main/sample --no-progress
	$(BIN)/fascode_mm_run --data ../shared/fascode --folds 5 --out results/main/real_cv5 --no-progress
	$(BIN)/fascode_mm_run --data ../shared/fascode --folds 5 --seeds 0 1 2 --out results/main/real_cv5_seeds012 --no-progress
	$(BIN)/python bench/ranking_cv.py both
	$(BIN)/python bench/compare_pooling.py --json results/bench/pooling.json
	$(BIN)/fascode_mm_ablate --dataset sample fascode --seeds 0 1 2 --workers 2

## TensorBoard on every run under runs/ (each writes OUT/tensorboard/): make board, then open http://localhost:6006
board: $(STAMP)
	$(BIN)/tensorboard --logdir runs $(ARGS)

## Run a notebook as the tests do and save its outputs (for the docs): make outputs NB=nbs/05d_run.ipynb
outputs: $(STAMP)
	$(BIN)/python -c "import sys; from fascode_mm.testing import refresh_outputs; sys.exit(0 if refresh_outputs('$(NB)') else 1)"
	$(BIN)/nbdev_clean --fname $(NB)
