# Two commands: `make run` (the whole product on embedded defaults) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
SYSTEM_PACKAGES := python3.11-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

.PHONY: run test sysdeps deps migrate demo lint ci clean

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

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var
