# Two commands: `make run` (the whole product on embedded defaults) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
SYSTEM_PACKAGES := python3.11-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run test sysdeps deps migrate demo lint typecheck ci clean mutation

run: deps
	@mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py seed_demo
	@DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/python manage.py demo_banner
	DJANGO_SETTINGS_MODULE=config.settings.local $(BIN)/honcho -f Procfile start

test: deps
	@mkdir -p var
	$(BIN)/pytest $(PYTEST_ARGS)

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy with django-stubs over the public services, selectors and rules ([tool.mypy] files).
typecheck: deps
	$(BIN)/mypy

deps: sysdeps $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@touch $@

# WeasyPrint needs Pango and HarfBuzz from Debian; venv needs python3.11-venv; scanned
# loss-run PDFs need Tesseract OCR (tesseract-ocr, with its English data).
sysdeps:
	@missing=""; \
	for lib in libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0; do \
		ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="yes"; \
	done; \
	$(PYTHON) -c "import ensurepip" 2>/dev/null || missing="yes"; \
	test -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing="yes"; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing system libraries: $(SYSTEM_PACKAGES)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
		else \
			echo "Missing system libraries. Run:"; \
			echo "  sudo apt-get update && sudo apt-get install -y $(SYSTEM_PACKAGES)"; \
			exit 1; \
		fi; \
	fi
	@if ! command -v tesseract >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			echo "Installing Tesseract OCR (scanned loss-run PDFs): tesseract-ocr"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tesseract-ocr >/dev/null; \
		else \
			echo "Scanned loss-run PDFs need OCR, which is not installed. Run:"; \
			echo "  sudo apt-get install -y tesseract-ocr"; \
			echo "(everything else works without it)"; \
		fi; \
	fi

# Mutation testing of the tracker's calendar, timeline, schedule and notices and the outbox's
# delivery and send windows (not part of CI: it takes CPU; see README "Mutation testing").
# Each mutant runs its module's targeted tests (tests/mutation.py); PROPERTY_EXAMPLES keeps
# the DB property test short. MUTATION_CHILDREN: parallel mutants (the machine is shared).
MUTATION_CHILDREN ?= 2
mutation: deps
	@mkdir -p var
	rm -rf mutants
	PROPERTY_EXAMPLES=8 $(BIN)/mutmut run --max-children $(MUTATION_CHILDREN)
	$(BIN)/mutmut results --all true > var/mutmut-results.txt || true
	@awk -F': ' '{n[$$2]++} END {for (s in n) print s ": " n[s]}' var/mutmut-results.txt | sort
	@# The mutated copy of the project must not stay in the tree (template scans would read it).
	rm -rf mutants

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var
