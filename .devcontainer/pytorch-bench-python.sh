#!/usr/bin/env bash
# Runs python3 inside a Debian root made by pytorch-bench-root.sh, as
#   bench --python ROOT/bench-python
# (the root script installs this file there). The root is this file's own
# directory when that holds a Debian root, else $PYTORCH_BENCH_ROOT, else
# /opt/pytorch-bench-root.
# Every argument naming an existing file or directory (the bench script, the
# --data directory) is bind-mounted read-only at the same path inside the root,
# so the script sees the same paths as the caller. Needs root (chroot, mount).
set -euo pipefail

here="$(dirname "$(readlink -f "$0")")"
if [[ -x "$here/usr/bin/python3" ]]; then root="$here"; else root="${PYTORCH_BENCH_ROOT:-/opt/pytorch-bench-root}"; fi
if [[ ! -x "$root/usr/bin/python3" ]]; then
    echo "No PyTorch root at $root: make it with .devcontainer/pytorch-bench-root.sh (or set PYTORCH_BENCH_ROOT)." >&2
    exit 2
fi

mounts=()
for argument in "$@"; do
    if [[ "$argument" == /* && -e "$argument" ]]; then
        if [[ -d "$argument" ]]; then mounts+=("$argument"); else mounts+=("$(dirname "$argument")"); fi
    fi
done

exec unshare --mount --propagation private bash -euo pipefail -c '
    root="$1"; count="$2"; shift 2
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    for ((i = 0; i < count; i++)); do
        mkdir -p "$root$1"
        mount --bind "$1" "$root$1"
        mount -o remount,bind,ro "$root$1"
        shift
    done
    cd /
    exec chroot "$root" python3 "$@"
' _ "$root" "${#mounts[@]}" "${mounts[@]}" "$@"
