#!/usr/bin/env bash
# Tools the tests use beyond pip: Debian's chromium (real browser rendering), Debian's dovecot-imapd (a real IMAP
# server for the XOAUTH2 tests) and npm's axe-core (accessibility).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing chromium (Debian) for the browser tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is not installed and this user cannot install it: browser tests will be skipped." >&2
  fi
fi
if ! command -v dovecot >/dev/null 2>&1 && [ ! -x /usr/sbin/dovecot ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing dovecot-imapd (Debian) for the IMAP tests..."
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dovecot-imapd >/dev/null
  else
    echo "dovecot is not installed and this user cannot install it: IMAP tests will be skipped." >&2
  fi
fi
if [ ! -f node_modules/axe-core/axe.min.js ] && ! command -v npm >/dev/null 2>&1 \
   && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing npm (Debian) to fetch axe-core..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  echo "Installing axe-core (npm) for the accessibility tests..."
  npm install --no-save --no-audit --no-fund --silent axe-core@4 >/dev/null
fi
# Real bounces nobody here wrote: flufl.bounce's own test corpus (Postfix, Exim, qmail, Sendmail, Exchange,
# GroupWise, Yahoo, AOL, mail.ru...) with its expected addresses, from the source distribution on PyPI.
corpus=.venv/corpora
if [ ! -d "$corpus/flufl-bounce/data" ] && [ -x .venv/bin/python ]; then
  version=$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("flufl.bounce"))')
  tmp=$(mktemp -d)
  if .venv/bin/python -m pip download -q --no-deps --no-binary :all: "flufl.bounce==$version" -d "$tmp" 2>/dev/null; then
    mkdir -p "$corpus/flufl-bounce"
    tar xzf "$tmp"/flufl_bounce-*.tar.gz -C "$tmp"
    cp -r "$tmp"/flufl_bounce-*/tests/data "$corpus/flufl-bounce/data"
    cp "$tmp"/flufl_bounce-*/tests/test_detectors.py "$corpus/flufl-bounce/expected.py"
    echo "Fetched flufl.bounce $version's bounce corpus for the tests."
  else
    echo "Could not fetch flufl.bounce's source distribution: the public bounce corpus test will be skipped." >&2
  fi
  rm -rf "$tmp"
fi
