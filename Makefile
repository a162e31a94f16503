# Desk: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

# Debian packages the app and the tests use (installed only when missing).
APT_RUN  := fonts-noto-core fonts-liberation2 libxcb-icccm4 libxcb-keysyms1 libxcb-xinerama0 libxcb-cursor0 libegl1 libgl1 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
APT_TEST := $(APT_RUN) softhsm2 opensc poppler-utils qpdf xvfb xauth fonts-dejavu-core postgresql default-jdk-headless
APT_TEST_NORECOMMENDS := libreoffice-writer-nogui tesseract-ocr tesseract-ocr-vie

.PHONY: run test test-windows windows-installer bench lint typecheck system-run system-test venv clean

run: system-run $(STAMP)
	$(VENV)/bin/desk run

test: system-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q -p no:cacheprovider

# Windows, under Wine (Debian packages and PyPI only; the prefix is cached in .cache/windows/):
# the whole suite as two pytest processes side by side (every other test file each: Wine spends
# most of its time starting processes), then the installer built (PyInstaller under Wine, NSIS),
# installed silently and run. The Linux venv is needed to look at the screenshot and for the
# native start-up figure. See tools/windows/lane.py.
test-windows: $(STAMP)
	$(PYTHON) tools/windows/lane.py all --shards 2

# The installer step alone (no test suite).
windows-installer: $(STAMP)
	$(PYTHON) tools/windows/lane.py installer

bench: system-test $(STAMP)
	QT_QPA_PLATFORM=offscreen $(PY) bench/run_all.py

lint: $(STAMP)
	$(VENV)/bin/ruff check desk signing sync ui tests bench
	$(VENV)/bin/lint-imports

typecheck: $(STAMP)
	$(VENV)/bin/mypy desk signing sync

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e '.[test]'
	touch $(STAMP)

# Install Debian packages only when one is missing; `apt-get update` first, as the
# package lists of a fresh machine may be empty. Needs root (or sudo) when something is missing.
define apt_ensure
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(2) $$missing >/dev/null; \
	fi
endef

system-run:
	$(call apt_ensure,$(APT_RUN),)

system-test:
	$(call apt_ensure,$(APT_TEST),)
	$(call apt_ensure,$(APT_TEST_NORECOMMENDS),--no-install-recommends)

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache
