#!/usr/bin/env bash
# Installs what this project needs beyond the .NET 10 SDK. Safe to run again;
# does nothing when everything is there.
#
# 1. libstdc++ with GLIBCXX_3.4.32: TorchSharp-cpu 0.107.0's native library
#    needs it (GCC 13 or newer). Debian 12 ships 3.4.30, so there we take only
#    libstdc++6 from Debian 13 (trixie), pinned at priority 100 so that nothing
#    else on the system moves. Ubuntu 24.04 and Debian 13 already have it.
# 2. Debian's dataset-fashion-mnist (/usr/share/datasets/fashion-mnist), which
#    the tests load to show that any MNIST-format data set works.
# 3. Debian's chromium, with which the tests and CI open exported notebook
#    pages offline and check that every figure shows, and fonts-dejavu-core,
#    the font the static charts and digit grids are drawn with.
# 4. Jupyter's nbconvert and nbformat (Debian's jupyter-nbconvert, python3-nbconvert,
#    python3-nbformat), with which CI runs a notebook through the pinned kernel's
#    Jupyter kernelspec (setup-kernel.sh) and validates the committed notebooks.
# 5. Natural photographs for the photo denoiser (data/README.md lists them
#    with their licences): the sample pictures of Debian's python3-skimage,
#    taken out of the package with apt-get download and dpkg-deb -x (only the
#    picture files are copied, no Python stack is installed) into
#    /usr/share/datasets/scikit-image-photos.
set -euo pipefail

needed=GLIBCXX_3.4.32
fashion=/usr/share/datasets/fashion-mnist

have_glibcxx() {
  local lib
  for lib in /usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6; do
    [ -f "$lib" ] && grep -qa "$needed" "$lib" && return 0
  done
  return 1
}

. /etc/os-release
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
is_debian12=false
[ "${ID:-}" = debian ] && [ "${VERSION_ID:-}" = 12 ] && is_debian12=true

if have_glibcxx; then
  echo "prerequisites: libstdc++ provides $needed."
elif $is_debian12; then
  sources=/etc/apt/sources.list.d/debian.sources
  [ -f "$sources" ] || { echo "prerequisites: $sources not found; cannot derive a trixie apt source." >&2; exit 1; }
  # The system's own mirror, so that no host name is written into this repository.
  uri=$(awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$sources")
  [ -n "$uri" ] || { echo "prerequisites: no URIs line in $sources." >&2; exit 1; }
  echo "prerequisites: adding libstdc++6 from Debian 13 (trixie, pinned at priority 100) for $needed"
  printf 'Types: deb\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" |
    $sudo tee /etc/apt/sources.list.d/image-restoration-trixie.sources >/dev/null
  printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' | $sudo tee /etc/apt/preferences.d/image-restoration-trixie >/dev/null
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq -t trixie libstdc++6 >/dev/null
  have_glibcxx || { echo "prerequisites: libstdc++6 from trixie installed, but $needed is still missing." >&2; exit 1; }
  echo "prerequisites: libstdc++ now provides $needed."
else
  echo "prerequisites: TorchSharp-cpu 0.107.0 needs libstdc++ with $needed (GCC 13 or newer);"
  echo "prerequisites: ${PRETTY_NAME:-this system} lacks it: install a newer libstdc++6 (Ubuntu 24.04 and Debian 13 have one)."
fi

if [ -f "$fashion/t10k-images-idx3-ubyte.gz" ]; then
  echo "prerequisites: Fashion-MNIST is in $fashion."
elif command -v apt-get >/dev/null; then
  echo "prerequisites: installing dataset-fashion-mnist"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq dataset-fashion-mnist >/dev/null
else
  echo "prerequisites: no apt-get; the Fashion-MNIST test needs the four files in $fashion."
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -eq 0 ]; then
  echo "prerequisites: chromium and the DejaVu fonts are installed."
elif command -v apt-get >/dev/null; then
  echo "prerequisites: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "prerequisites: no apt-get; the page checks need ${missing[*]}."
fi

if command -v jupyter-nbconvert >/dev/null && /usr/bin/python3 -c "import nbformat" 2>/dev/null; then
  echo "prerequisites: Jupyter's nbconvert and nbformat are installed."
elif command -v apt-get >/dev/null; then
  echo "prerequisites: installing jupyter-nbconvert python3-nbconvert python3-nbformat"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq jupyter-nbconvert python3-nbconvert python3-nbformat >/dev/null
else
  echo "prerequisites: no apt-get; the Jupyter route and the notebook validation need jupyter-nbconvert and Python's nbformat."
fi

photos=/usr/share/datasets/scikit-image-photos
photo_files="astronaut.png brick.png camera.png chelsea.png coffee.png coins.png grass.png gravel.png hubble_deep_field.jpg ihc.png retina.jpg rocket.jpg"
have_photos() {
  local f
  for f in $photo_files; do [ -f "$photos/$f" ] || return 1; done
}
if have_photos; then
  echo "prerequisites: the sample photographs are in $photos."
elif command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null; then
  echo "prerequisites: taking the sample photographs out of python3-skimage into $photos"
  work=$(mktemp -d)
  chmod 755 "$work"
  $sudo apt-get update -qq
  (cd "$work" && $sudo apt-get download -qq python3-skimage 2>/dev/null)
  dpkg-deb -x "$work"/python3-skimage_*.deb "$work/x"
  $sudo mkdir -p "$photos"
  for f in $photo_files; do $sudo cp "$work/x/usr/lib/python3/dist-packages/skimage/data/$f" "$photos/"; done
  $sudo rm -rf "$work"
  have_photos || { echo "prerequisites: python3-skimage did not hold every sample photograph." >&2; exit 1; }
else
  echo "prerequisites: no apt-get; the photo denoiser needs python3-skimage's sample photographs in $photos."
fi
