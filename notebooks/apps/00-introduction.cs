// 00-introduction.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../00-introduction.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/00-introduction.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
#:project ../../lib/ImageRestoration.Display/ImageRestoration.Display.csproj
#:property RuntimeIdentifier=$(NETCoreSdkRuntimeIdentifier)
#:property PublishAot=false

using System.IO;
using ImageRestoration;
using ImageRestoration.Charts;
using ImageRestoration.Configuration;
using ImageRestoration.Data;
using ImageRestoration.Degradations;
using ImageRestoration.Evaluation;
using ImageRestoration.Models;
using ImageRestoration.Studies;
using ImageRestoration.Notebooks;
using ImageRestoration.Training;
using TorchSharp;
using static ImageRestoration.Notebooks.FileDisplay;

// # Image restoration: an introduction
// *Image restoration with a convolutional autoencoder · notebook 00 of 00–07*
//
// Image restoration recovers a clean picture from a degraded one. The presentation shows it on handwritten digits (MNIST): a small convolutional autoencoder first learns to redraw a digit from a compressed code, then to redraw a clean digit from a noisy one. These notebooks rebuild that experiment in C# with TorchSharp, one section of the presentation per notebook:
//
// | notebook | what it shows |
// | --- | --- |
// | [00 · Introduction](00-introduction.ipynb) | what restoration is; the degradations |
// | [01 · Configuration](01-configuration.ipynb) | the hyperparameters as one object; profiles |
// | [02 · Data import](02-data-import.ipynb) | MNIST as tensors in [0,1] |
// | [03 · Model](03-model.ipynb) | the autoencoder's code; your own model |
// | [04 · Clean training](04-clean-training.ipynb) | one training step; x -> x training |
// | [05 · Denoising](05-denoising.ipynb) | noisy -> clean training |
// | [06 · Evaluation](06-evaluation.ipynb) | the presentation's conclusions, measured |
// | [07 · Restoration quality](07-restoration-quality.ipynb) | PSNR/SSIM against classical filters, other degradations, bigger models |
//
// This notebook shows:
// - what image restoration is, and the plan of these notebooks;
// - how a picture gets degraded: Gaussian noise (clipped or rescaled back into [0,1]), salt-and-pepper noise and missing pixels;
// - a grid of the same digits under each degradation the library offers;
// - how much each degradation changes a picture, measured on this run's digits.

// ## Setup
//
// Every notebook loads the same setup, [setup.dib](setup.dib): TorchSharp and Plotly.NET at the library's pinned versions, then
// the library built in this repository (run `dotnet build` in the repository root first; the kernel must be the pinned one, see [README](README.md)).

// The notebook's `#!import setup.dib`: the libraries (#:project above), their namespaces (the usings above),
// and figures written as PNG files in a folder named like this app, next to it.
FileDisplay.Start();
NotebookDisplay.Register();

// ## Configuration
//
// The profile decides how long training takes: `class` (the default, for a lesson), `quick` (for CI) or `full` (the presentation's
// 100 epochs). Set `IMAGE_RESTORATION_PROFILE=class|quick|full` before the kernel starts;
// `IMAGE_RESTORATION_OVERRIDES="key=value;..."` changes any key for every notebook and always wins over the notebook's own values.
// The cell prints the profile, what it trains and what it cost on this kit's 2-core machine.

var profile = NotebookProfile.FromEnvironment();
var configuration = profile.Configuration();
Console.WriteLine(profile);

// ## A few test digits
//
// The first thousand test pictures, as float32 values in [0,1] (0 is black, 1 is white).

var test = ImageDataset.Load(DataLocator.Resolve(configuration.DataDirectory), DatasetSplit.Test, limit: 1000);
Console.WriteLine($"{test.Count:N0} test digits from {test.Source}; the first ones are {string.Join(" ", test.Labels.Take(5))}");

// ## How does a picture get degraded?
//
// Each degradation draws its randomness from a generator seeded with the configuration's seed, so the same seed gives the same damaged pictures:
// - **Gaussian noise**: `x + factor * N(0,1)`, then back into [0,1], by clipping (the presentation's choice) or by rescaling each picture;
// - **salt and pepper**: a share of the pixels turns white or black;
// - **missing pixels** (a mask): a share of the pixels is lost, set to 0.
//
// Why these: each one damages a picture differently. Noise touches every pixel a little, salt and pepper a few pixels completely,
// a mask removes information outright. A method that undoes one well may do badly on another (notebook 07 measures it).

Degradation[] degradations =
[
    new GaussianNoise(0.5), new GaussianNoise(0.5, NoiseNormalisation.Rescale), new SaltAndPepper(0.2), new RandomMask(0.2),
];
display(DigitGrid.Degradations(test.Images, degradations, count: 5, seed: configuration.Seed, labels: test.Labels));

// ## How much does each degradation change a picture?
//
// Measured on the thousand test digits: the mean squared error to the original, the share of pixels changed and the mean brightness.

var effects = Numbers.Effects(test.Images, degradations, configuration.Seed);
display(Table.Of(effects));

// ## What we saw

foreach (var effect in effects)
    Console.WriteLine($"{effect.Degradation}: changes {effect.PixelsChanged * 100:F0}% of the pixels; mean squared error to the original {effect.MeanSquaredError:F4}.");
Console.WriteLine($"The next notebooks undo the first of these, {degradations[0].Name}, as the presentation does.");
var (lightest, heaviest) = (effects.MinBy(e => e.MeanSquaredError)!, effects.MaxBy(e => e.MeanSquaredError)!);
Console.WriteLine($"So the damage differs widely: {heaviest.Degradation} moves a picture {heaviest.MeanSquaredError / lightest.MeanSquaredError:F1} times " +
                  $"further from the original than {lightest.Degradation}, by squared error.");

// Next: [01 · Configuration](01-configuration.ipynb)
