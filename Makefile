# Two commands on a fresh machine: `make extract` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
INPUT  ?= corpus
OUTPUT ?= outputs
GOLD   ?= ../shared/gold/dev
STAMP  := $(VENV)/.installed

.PHONY: extract test eval bench notebooks install system-deps clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

extract: $(STAMP)
	$(PY) -m pipeline extract $(INPUT) $(OUTPUT)

# Scores $(OUTPUT) against the gold files (GOLD=dir for another set).
eval: extract
	$(PY) -m pipeline eval --outputs $(OUTPUT) --gold $(GOLD)

# Runs the notebooks on $(OUTPUT); executed copies go to $(OUTPUT)/notebooks.
notebooks: extract
	$(PY) -m pipeline.notebooks $(OUTPUT)

test: $(STAMP)
	$(PY) -m pytest -q

# Speed: 2,000 generated documents (bench/corpus), the pipeline against the
# fastest text-only read and a naive baseline → outputs/bench.json.
bench: $(STAMP)
	$(PY) -m pipeline.bench

# Debian packages: tesseract with Vietnamese for scanned PDFs, chromium for the
# graph page's browser test, antiword for Word 97-2003 .doc files (0.6 MB; the
# optional libreoffice-writer-nogui, 281 MB, keeps Word's automatic numbering of
# .doc files and is used instead when installed). Needs root (CI runs it from .ci/run).
system-deps:
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr tesseract-ocr-vie chromium chromium-driver antiword >/dev/null

# Removes what `make extract` wrote (results, cache, corpus files), not the inputs.
clean:
	rm -rf $(OUTPUT)/documents $(OUTPUT)/.cache $(OUTPUT)/tables $(OUTPUT)/notebooks \
	  $(OUTPUT)/*.json $(OUTPUT)/*.jsonl $(OUTPUT)/*.csv $(OUTPUT)/graph.* $(OUTPUT)/tables.xlsx
