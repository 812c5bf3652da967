# supplywatch: `make help` lists the targets. Everything runs inside .venv, built from requirements.txt.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
CORPUS ?= seeds
OUT ?= reports

.DEFAULT_GOAL := help

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name supplywatch --display-name "supplywatch (.venv)" >/dev/null
	@touch $(STAMP)

.PHONY: help venv report render-bench analyze test lab bench freeze clean ner-model bench-ner

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-13s %s\n", $$1, $$2}'

venv: $(STAMP) ## create .venv and install the pinned requirements (only when they changed)

report: $(STAMP) ## set up and render the reports for CORPUS (default seeds/) into OUT (default reports/)
	$(BIN)/supplywatch render $(CORPUS) --out $(OUT)

render-bench: $(STAMP) ## time `supplywatch render` of the seed against the papermill + nbconvert CLIs
	$(BIN)/python benchmarks/render_bench.py

analyze: $(STAMP) ## write the analysis tables for CORPUS into OUT/tables
	$(BIN)/supplywatch analyze $(CORPUS) --out $(OUT)/tables

test: $(STAMP) ## set up, check the import-layer contract, and run the whole test suite
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest

# `make lab LAB_ARGS="--port=8899 --no-browser"`: extra JupyterLab options; --allow-root is added when run as root.
# The project kernel is the default kernel too, so a notebook opened before JupyterLab has read its kernelspec
# (seen on a fresh clone's first start) still starts on .venv, not on a bare python3.
LAB_ARGS ?=
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP) ## open JupyterLab on notebooks/ with the project's kernel (LAB_ARGS="--port=8899 --no-browser")
	$(BIN)/jupyter lab --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=supplywatch $(ALLOW_ROOT) $(LAB_ARGS)

bench: $(STAMP) ## benchmark analyze on the full Reuters-21578 corpus (needs ../shared/corpora)
	$(BIN)/python benchmarks/bench_analyze.py

ner-model: $(STAMP) ## rebuild data/ner_model.crfsuite + data/ner_lexicon.json from CoNLL-2003 eng.train (reproducible)
	$(BIN)/python scripts/train_ner.py

bench-ner: $(STAMP) ## score `supplywatch analyze` on CoNLL-2003 eng.testb (entity-level P/R/F1; needs ../shared/corpora)
	$(BIN)/python benchmarks/bench_conll.py

freeze: $(STAMP) ## re-pin requirements.txt from the working .venv
	@{ echo "# Every package pinned (pip freeze of a working .venv on Python 3.11). Regenerate with: make freeze"; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^supplywatch'; echo "-e ."; } > requirements.txt

clean: ## remove .venv, caches and rendered reports (keeps reports/.gitkeep)
	rm -rf $(VENV) data/cache .pytest_cache .hypothesis
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
