#!/usr/bin/env bash
# Makes this machine able to load TorchSharp-cpu 0.107.0's native library.
#
# libLibTorchSharp.so needs GLIBCXX_3.4.32 (libstdc++ from GCC 13+). Debian 12
# ships 3.4.30, so there we take only libstdc++6 from Debian 13 (trixie),
# pinned at priority 100 so that nothing else on the system moves. Every other
# system: report what is needed and exit 0. Safe to run again.
set -euo pipefail

needed=GLIBCXX_3.4.32

have_glibcxx() {
  local lib
  for lib in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6; do
    [ -f "$lib" ] && grep -qa "$needed" "$lib" && return 0
  done
  return 1
}

if have_glibcxx; then
  echo "prerequisites: libstdc++ provides $needed; nothing to do."
  exit 0
fi

. /etc/os-release
if [ "${ID:-}" != debian ] || [ "${VERSION_ID:-}" != 12 ]; then
  echo "prerequisites: TorchSharp-cpu 0.107.0 needs libstdc++ with $needed (GCC 13 or newer)."
  echo "prerequisites: this system (${PRETTY_NAME:-unknown}) lacks it; install a newer libstdc++6 by hand."
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
sources=/etc/apt/sources.list.d/debian.sources
[ -f "$sources" ] || { echo "prerequisites: $sources not found; cannot derive a trixie apt source." >&2; exit 1; }

# The system's own mirror, so that no host name is written into this repository.
uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$sources")
[ -n "$uri" ] || { echo "prerequisites: no URIs line in $sources." >&2; exit 1; }

echo "prerequisites: adding libstdc++6 from Debian 13 (trixie, pinned at priority 100) for $needed"
$sudo tee /etc/apt/sources.list.d/image-restoration-trixie.sources >/dev/null <<SRC
Types: deb
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
$sudo tee /etc/apt/preferences.d/image-restoration-trixie >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -t trixie libstdc++6 >/dev/null
have_glibcxx || { echo "prerequisites: libstdc++6 from trixie installed, but $needed is still missing." >&2; exit 1; }
echo "prerequisites: done; libstdc++ now provides $needed."
