#!/usr/bin/env bash
# Sets up the notebook kernel this repository is tested with, privately, in
# .tools/dotnet-interactive, and registers it as a private Jupyter kernelspec
# in .tools/jupyter (git ignores .tools/). The work is done by
# setup-kernel.cs, a .NET file-based app that Windows and macOS users run
# directly (dotnet run .devcontainer/setup-kernel.cs); it says why the kernel
# is pinned and patched. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
exec dotnet run .devcontainer/setup-kernel.cs
