#!/bin/sh
# install-deps.sh - install what tokentrend needs to build, test and plot on
# Debian 12 (run as root).  The README and .ci/run both call this script.
#   libcurl, libxml2, SQLite, GSL, cmocka: the core libraries
#   json-c: a JSON parser that keeps each number's original text (money)
#   zlib, OpenSSL libcrypto: snapshot compression and SHA-256 addressing
#   gnuplot-nox: rendering without a GUI; fonts-dejavu-core: its PNG font
set -eu
PKGS="build-essential cmake pkg-config ca-certificates
      libcurl4-openssl-dev libxml2-dev libsqlite3-dev libgsl-dev libcmocka-dev
      libjson-c-dev zlib1g-dev libssl-dev
      gnuplot-nox fonts-dejavu-core sqlite3 python3"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing
fi
echo "install-deps: all build, test and plot dependencies are installed"
