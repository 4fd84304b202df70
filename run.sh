#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./run.sh dashboard   installs what is missing, builds the demo database on first run, serves the dashboard
#   ./run.sh test        installs what is missing (Python packages, Chromium, CJK fonts), runs every test
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}

ensure_venv() {
  if [ ! -x .venv/bin/python ]; then
    echo "First run: creating the Python environment in .venv ($("$PY" --version 2>&1))…"
    if ! "$PY" -m venv .venv; then
      rm -rf .venv
      echo "Could not create .venv: Python 3.11 with its venv module is needed" \
           "(Debian/Ubuntu: sudo apt-get install python3-venv; or set PYTHON=/path/to/python3.11)." >&2
      exit 1
    fi
  fi
  # Reinstall only when the pinned requirements changed since the last install.
  local stamp=.venv/.requirements.sha
  local want
  want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    # pip is quiet here (its list of some sixty packages helps nobody), so say what is
    # happening and how long it took: on a fresh machine this is the longest step.
    echo "Installing the pinned Python packages (requirements-dev.txt) into .venv;" \
         "the first time takes a minute or more…"
    local started=$SECONDS
    .venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
    echo "$want" > "$stamp"
    echo "Packages installed in $((SECONDS - started)) s."
  fi
}

ensure_browser() {
  # Browser tests use Debian's Chromium (Playwright cannot download its own here)
  # and need CJK fonts, or Chinese renders as empty boxes. The bulletin's PDF is made by
  # LibreOffice (headless Writer) and its tests read PDFs back with poppler's pdftotext.
  # The Spark parity tests run pyspark in local mode, which needs a Java 17 runtime.
  if [ ! -x /usr/bin/chromium ] || ! fc-list 2>/dev/null | grep -qi "noto.*cjk" \
     || ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null \
     || ! command -v java >/dev/null; then
    local SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    local how="with apt-get"
    [ -z "$SUDO" ] || how="with apt-get through sudo, which may ask for your password"
    echo "The tests need Chromium, CJK fonts, LibreOffice Writer, poppler and Java: installing" \
         "chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils openjdk-17-jre-headless" \
         "$how; this can take a few minutes…"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium fonts-noto-cjk libreoffice-writer-nogui poppler-utils \
      openjdk-17-jre-headless >/dev/null
  fi
}

case "${1:-}" in
  dashboard)
    ensure_venv
    shift
    # First run: build the demo store through the real importer (about 10 s).
    if ! .venv/bin/python -c "import sys; from metrics.settings import load_settings; sys.exit(not load_settings().db_path.exists())"; then
      echo "First run: building the demo database data/dashboard.duckdb (about 10 s)…"
      .venv/bin/python -m metrics demo > /dev/null
    fi
    exec .venv/bin/python serve.py "$@"
    ;;
  test)
    ensure_venv
    ensure_browser
    shift
    # Two processes, each running whole test files (a file's tests share its fixtures and
    # order), handed out longest first (tests/conftest.py); TEST_WORKERS=0 runs them in this one.
    exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder "$@"
    ;;
  *)
    echo "usage: ./run.sh dashboard | test [pytest args]" >&2
    exit 2
    ;;
esac
