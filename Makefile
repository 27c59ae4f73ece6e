# The README's two commands: `make demo` and `make test`. Both bootstrap .venv/ when missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench mutation clean

# constraints.txt pins every dependency to tested versions: reproducible, and no resolver
# backtracking (an unconstrained resolve of checkov + acryl-datahub + moto can take many minutes).
$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[all,dev]'
	# The embedded OPA engine: its metadata says Python >= 3.14, its py3-none wheel runs on 3.11+.
	$(BIN)/pip install --quiet --no-deps --ignore-requires-python opa-golib-python-bindings==0.4.4
	touch $(STAMP)

# Runs the main job on the example mesh. Findings are expected there: exit 1 (findings) counts as
# success of the demo; exit 2 (could not evaluate) fails it.
demo: $(STAMP)
	$(BIN)/governance check examples/ --samples examples/samples --output-dir reports/ --format console --format json --format markdown --format html --format sarif --format junit --format csv; \
	  rc=$$?; test $$rc -le 1

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

# Mutation testing of the verdict core ([tool.mutmut] in pyproject.toml; docs/testing.md). Not part
# of `make test`. Starts from scratch each time (mutants/ is mutmut's work copy, git-ignored), then
# lists every mutant not killed and ends with one line: total, killed, survived, timeout, % killed.
mutation: $(STAMP)
	rm -rf mutants
	$(BIN)/mutmut run
	@$(BIN)/mutmut results --all true | awk -F': ' '\
	  NF == 2 { n[$$2]++; total++; if ($$2 != "killed") print } \
	  END { printf "\nmutation: %d mutants, %d killed, %d survived, %d timeout, %d other; %.1f%% killed\n", \
	    total, n["killed"], n["survived"], n["timeout"], total - n["killed"] - n["survived"] - n["timeout"], \
	    total ? 100 * n["killed"] / total : 0 }'

clean:
	rm -rf mutants $(VENV) reports/*.json reports/*.html reports/*.md reports/*.sarif reports/*.xml reports/*.csv
