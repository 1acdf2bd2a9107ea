#!/usr/bin/env bash
# Trains the presentation's 100 epochs, clean and denoising (Gaussian noise 0.5), side by side at one thread each,
# then records their configurations and histories in data/recorded/presentation-100-epochs (notebook 06 draws them).
# Run from the repository root with the MNIST files in IMAGE_RESTORATION_DATA (for example ../shared/data/mnist).
# About 15 to 30 minutes on a 2-core machine; the runs and their logs stay in runs/recorded (which git ignores).
set -euo pipefail
: "${IMAGE_RESTORATION_DATA:?set IMAGE_RESTORATION_DATA to the folder with the MNIST files}"
dotnet build -c Release lib/ImageRestoration.Cli >/dev/null
cli=lib/ImageRestoration.Cli/bin/Release/net10.0/image-restoration
mkdir -p runs/recorded
"$cli" train --set threads=1 --set logDirectory=runs/recorded --force > runs/recorded/clean.log &
clean=$!
"$cli" train --set threads=1 --set mode=denoising --set logDirectory=runs/recorded --force > runs/recorded/denoising.log &
denoising=$!
wait "$clean"
wait "$denoising"
# Each log's first line names its run: "Training NAME: 100 epochs, ...".
folder() { echo "runs/recorded/$(head -n 1 "$1" | sed -E 's/^Training ([^:]+):.*/\1/')"; }
"$cli" record "$(folder runs/recorded/clean.log)" "$(folder runs/recorded/denoising.log)"
