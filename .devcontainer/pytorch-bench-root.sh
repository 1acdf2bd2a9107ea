#!/usr/bin/env bash
# Makes a Debian 13 (trixie) root holding python3-torch 2.6, numpy, and g++,
# python3-dev, setuptools and libtorch-dev for torch.compile's C++ back end, so that `bench` can measure the
# PyTorch a user would pick today without changing the host's Python.
# Run once as root (debootstrap and chroot need it); it copies the wrapper
# pytorch-bench-python.sh into the root as ROOT/bench-python, for
#   bench --python ROOT/bench-python
# Usage: pytorch-bench-root.sh [ROOT [SUITE]]
#   ROOT  default /opt/pytorch-bench-root (or $PYTORCH_BENCH_ROOT)
#   SUITE default trixie (python3-torch 2.6); bookworm gives Debian 12's 1.13, a second anchor.
# The Debian mirror is the host's own (first URIs line of its apt sources) unless $MIRROR is set.
set -euo pipefail

root="${1:-${PYTORCH_BENCH_ROOT:-/opt/pytorch-bench-root}}"
suite="${2:-trixie}"
mirror="${MIRROR:-$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}"
if [[ -z "$mirror" ]]; then
    echo "No Debian mirror found in /etc/apt/sources.list.d/debian.sources; set MIRROR=http://<mirror>/debian." >&2
    exit 2
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "Run as root: debootstrap and chroot need it." >&2
    exit 2
fi
command -v debootstrap >/dev/null || apt-get install -y debootstrap

if [[ ! -x "$root/usr/bin/apt-get" ]]; then
    debootstrap --variant=minbase "$suite" "$root" "$mirror"
fi

# apt inside the root needs /proc and /dev; a private mount namespace keeps the mounts off the host.
unshare --mount --propagation private bash -euo pipefail -c '
    root="$1"
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    chroot "$root" apt-get update
    chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3-torch python3-numpy python3-dev python3-setuptools g++ libtorch-dev
    chroot "$root" apt-get clean
' _ "$root"

install -m 755 "$(dirname "$0")/pytorch-bench-python.sh" "$root/bench-python"
"$root/bench-python" -c 'import torch, numpy; print("PyTorch", torch.__version__, "numpy", numpy.__version__)'
