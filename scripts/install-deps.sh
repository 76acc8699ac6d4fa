#!/usr/bin/env bash
# Installs what a fresh Debian 12 machine lacks to build, run and test storecrm.
# Idempotent: asks apt only for packages that are missing, so a warm machine pays nothing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libpq-dev
  libsodium-dev libicu-dev libhowardhinnant-date-dev libtomlplusplus-dev
  libcli11-dev libspdlog-dev libfmt-dev libroaring-dev libcurl4-openssl-dev libssl-dev python3-aiosmtpd
  libqrencode-dev libpng-dev libhpdf-dev libxlsxwriter-dev liboath-dev libzip-dev libexpat1-dev libjemalloc-dev
  libgtest-dev libgmock-dev libbenchmark-dev clang libclang-rt-14-dev
  chromium fonts-noto-cjk
  postgresql
)
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
