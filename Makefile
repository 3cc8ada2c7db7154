.PHONY: run test lint bench data geo
run:    ## install and start the dashboard on the default data
	bash scripts/run.sh
test:   ## install and run lint + the whole test suite (what CI runs)
	bash scripts/test.sh
lint:
	.venv/bin/ruff check .
bench:  ## performance figures (not part of the tests)
	.venv/bin/python -m bench
data:   ## rebuild the default dataset from scripts/build_default_data.py
	.venv/bin/python scripts/build_default_data.py
geo:    ## rebuild the default approximate boundaries
	.venv/bin/python -m nq05_metrics geo build-default
