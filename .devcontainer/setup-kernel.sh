#!/usr/bin/env bash
# Sets up the notebook kernel this repository is tested with, privately, in
# .tools/dotnet-interactive (git ignores .tools/). Safe to run again: it does
# nothing when the kernel is already there and patched.
#
# Why a private, patched copy:
# - .NET Interactive 1.0.712001 is the last kernel (Polyglot Notebooks and
#   .NET Interactive were deprecated in 2026); VS Code's Polyglot Notebooks
#   launches it, and so does the headless runner (lib/ImageRestoration.NotebookRunner).
# - That kernel ships FSharp.Core 10.0, but Plotly.NET 6.0.0 needs
#   FSharp.Core 10.1.403: in the stock
#   kernel every Plotly.NET call fails with "Could not load file or assembly
#   'FSharp.Core, Version=10.1.0.0'". Replacing FSharp.Core.dll in this private
#   copy with the one from the FSharp.Core 10.1.403 package fixes it (a chart
#   then renders as text/html). A global install is left alone.
# - .vscode/settings.json points Polyglot Notebooks at this copy.
set -euo pipefail
cd "$(dirname "$0")/.."

tool_version=1.0.712001
fsharp_version=10.1.403
tool_path=.tools/dotnet-interactive
kernel="$tool_path/dotnet-interactive"

# 1. The kernel, pinned, in a folder of its own.
if [ -x "$kernel" ] && [ -d "$tool_path/.store/microsoft.dotnet-interactive/$tool_version" ]; then
  echo "kernel: Microsoft.dotnet-interactive $tool_version is in $tool_path."
else
  rm -rf "$tool_path"
  echo "kernel: installing Microsoft.dotnet-interactive $tool_version into $tool_path"
  dotnet tool install --tool-path "$tool_path" Microsoft.dotnet-interactive --version "$tool_version" >/dev/null
fi

# 2. FSharp.Core 10.1.403 from NuGet: the display library pins it, so restoring
#    it brings the package into the global packages folder.
packages=$(dotnet nuget locals global-packages --list | sed -E 's/^global-packages: *//')
replacement="$packages/fsharp.core/$fsharp_version/lib/netstandard2.1/FSharp.Core.dll"
if [ ! -f "$replacement" ]; then
  echo "kernel: restoring the display library for FSharp.Core $fsharp_version"
  dotnet restore lib/ImageRestoration.Notebooks/ImageRestoration.Notebooks.csproj >/dev/null
fi
[ -f "$replacement" ] || { echo "kernel: $replacement not found after the restore." >&2; exit 1; }

# 3. Replace the kernel's FSharp.Core (10.0) with 10.1.403.
patched=0
while IFS= read -r -d '' dll; do
  if ! cmp -s "$replacement" "$dll"; then
    cp "$replacement" "$dll"
    patched=$((patched + 1))
  fi
done < <(find "$tool_path/.store" -name FSharp.Core.dll -path '*/tools/*' -print0)
if [ "$patched" -gt 0 ]; then
  echo "kernel: replaced FSharp.Core.dll with $fsharp_version ($patched file)."
else
  echo "kernel: FSharp.Core.dll is $fsharp_version."
fi

"$kernel" --version >/dev/null
echo "kernel: ready: $(pwd)/$kernel"
