# Ictal: `make run` opens the viewer on the demo night; `make test` runs every check.
# Both create .venv and install on first use (and again when pyproject.toml changes).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export QT_QPA_PLATFORM ?= offscreen

.PHONY: run test lint typecheck contracts pytest pytest-noqt venv clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# torch first and pinned: pip takes the local CPU wheel instead of a CUDA build.
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

run: QT_QPA_PLATFORM =
run: $(STAMP)
	$(BIN)/ictal demo

test: lint typecheck contracts pytest pytest-noqt

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy app models

contracts: $(STAMP)
	$(BIN)/lint-imports

pytest: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

# The core and the models must work with Qt absent: run their tests with Qt hidden.
pytest-noqt: $(STAMP)
	$(BIN)/python tests/run_without_qt.py -q -m "not slow" tests/core tests/models

# The frozen one-folder bundle dist/ictal/ (installer/ictal.spec) and its smoke test.
.PHONY: installer installer-test
installer: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[installer]"
	$(BIN)/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build installer/ictal.spec
	@du -sh dist/ictal

installer-test: $(STAMP)
	@test -x dist/ictal/ictal || { echo "dist/ictal/ictal missing: run 'make installer' first"; exit 1; }
	$(BIN)/python installer/smoke_test.py --bundle dist/ictal

clean:
	rm -rf $(VENV) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
