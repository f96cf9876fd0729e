# Taizhang — make run / make test set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint bench build smoke-build screenshot clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev,ocr]"
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py

test: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run.py

screenshot: $(STAMP)  # the default database of a fresh data folder: it starts with the sample plans
	home=$$(mktemp -d) && TAIZHANG_HOME=$$home QT_QPA_PLATFORM=offscreen $(PY) main.py --screenshot docs/screenshot.png \
		&& rm -rf $$home

build: $(STAMP)
	$(PY) -m pip install --quiet -e ".[build]"
	$(PY) -m PyInstaller --noconfirm build.spec

smoke-build: build
	bash .ci/smoke-build

clean:
	rm -rf build dist .pytest_cache .mypy_cache .ruff_cache
