#!/usr/bin/env bash
# Set-up and everyday commands on Debian/Ubuntu:  ./dev.sh run | test | check | build | bench | libs | postgres
# Creates .venv and installs what is missing; installs Qt's system libraries when run as root.
set -euo pipefail
cd "$(dirname "$0")"
PY=${PYTHON:-python3}
QT_LIBS="libgl1 libegl1 libglib2.0-0 libdbus-1-3 libxkbcommon0 libfontconfig1"
# The window on a real X display (not offscreen): Qt >= 6.5's xcb plugin refuses to start without it.
X_LIBS="libxcb-cursor0"

need_python() {
  if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "需要 Python 3.11 或更新版本：apt-get install python3" >&2; exit 1
  fi
  if ! "$PY" -c 'import venv, ensurepip' 2>/dev/null; then
    apt_install python3-venv
  fi
}

apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "正在安装系统组件：$*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
  else
    echo "缺少系统组件，请运行：sudo apt-get install -y $*" >&2; exit 1
  fi
}

setup() {
  need_python
  stamp=.venv/.installed-$(sha1sum pyproject.toml | cut -c1-12)
  if [ ! -f "$stamp" ]; then
    [ -x .venv/bin/python ] || "$PY" -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'
    rm -f .venv/.installed-*; touch "$stamp"
  fi
  system_libs
}

# Qt's system libraries, the one a real X display needs, and poppler for the PDF tests: installed when run
# as root, else the exact apt-get line is printed (`./dev.sh libs` does only this).
system_libs() {
  if ! QT_QPA_PLATFORM=offscreen .venv/bin/python -c 'from PySide6.QtWidgets import QApplication; QApplication([])' >/dev/null 2>&1; then
    apt_install $QT_LIBS
  fi
  if command -v dpkg-query >/dev/null; then
    status=$(dpkg-query -W -f='${Status}' $X_LIBS 2>/dev/null || true)
    case "$status" in
      *"ok installed"*) ;;
      *) if [ "$(id -u)" = 0 ]; then apt_install $X_LIBS
         else echo "提示：未安装 ${X_LIBS}，在真实的桌面上窗口打不开：sudo apt-get install -y ${X_LIBS}" >&2; fi ;;
    esac
  fi
  # The PDF tests read every printed form back with poppler (pdftotext, pdffonts, pdftoppm): without it
  # they are skipped, so CI (root) installs it and a developer is told how.
  if ! command -v pdftotext >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt_install poppler-utils
    else echo "提示：未安装 poppler-utils，打印件的测试将跳过：sudo apt-get install -y poppler-utils" >&2; fi
  fi
}

# PostgreSQL for the tests on the second store (tests/pg_cluster.py starts a throwaway server of its own):
# installed from the distribution's packages when run as root (CI), else the apt-get line is printed; the
# PostgreSQL cases are skipped without it, except under CANLIAN_CI=1.
need_postgres() {
  if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    return 0
  fi
  apt_install postgresql
}

# The machine checks: ruff over everything, then mypy (strict) over app/. Both run, so one pass shows all
# that is wrong; the step fails when either finds something.
check_code() {
  status=0
  .venv/bin/ruff check . || status=$?
  .venv/bin/mypy || { s=$?; [ "$status" -ne 0 ] || status=$s; }
  return "$status"
}

# The frozen folder (dist/canlian-VERSION), then its self-check run as on an office PC: no Python on the
# PATH, no network, an empty home folder, offscreen.
build_and_check() {
  .venv/bin/python -m pip install -q --disable-pip-version-check pyinstaller==6.22.3
  .venv/bin/pyinstaller --noconfirm --log-level WARN build.spec
  folder=$(ls -d dist/canlian-*/ | head -n 1)
  echo "已生成 ${folder}（$(du -sh "$folder" | cut -f1)）"
  home=$(mktemp -d)
  status=0
  env -i PATH=/nonexistent HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen "${folder}canlian" --selfcheck \
    > "$home/selfcheck.log" 2>&1 || status=$?
  grep -v '^/' "$home/selfcheck.log" || true
  rm -rf "$home"
  # and once more against a PostgreSQL server (a throwaway local cluster): the driver travels in the build
  .venv/bin/python scripts/selfcheck_server.py "$folder" || { s=$?; [ "$status" -ne 0 ] || status=$s; }
  return "$status"
}

cmd=${1:-run}; shift || true
case "$cmd" in
  run)   setup; exec .venv/bin/canlian "$@" ;;
  test)  setup; exec .venv/bin/python -m pytest "$@" ;;
  check) setup; check_code ;;
  bench) setup; exec .venv/bin/python scripts/bench.py "$@" ;;
  build) setup; build_and_check ;;
  libs)  system_libs ;;
  postgres) need_postgres ;;
  *) echo "用法：./dev.sh run | test | check | bench | build | libs | postgres" >&2; exit 2 ;;
esac
