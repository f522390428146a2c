# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := sop_training

.PHONY: run test setup install lint translations clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

sop_training/translations/%/LC_MESSAGES/messages.mo: sop_training/translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d sop_training/translations -l $*

translations: $(patsubst %.po,%.mo,$(wildcard sop_training/translations/*/LC_MESSAGES/messages.po))

setup: install translations
	$(BIN)/flask db upgrade
	$(BIN)/flask seed
	$(BIN)/flask import-content
	$(BIN)/flask create-demo-accounts

run: setup
	@echo "SOP Training is serving on http://127.0.0.1:5000"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: install translations
	$(BIN)/flask check-content
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Re-extract interface strings after changing templates or code.
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output -o sop_training/translations/messages.pot .
	$(BIN)/pybabel update -i sop_training/translations/messages.pot -d sop_training/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
