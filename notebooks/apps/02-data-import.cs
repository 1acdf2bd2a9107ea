// 02-data-import.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../02-data-import.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/02-data-import.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
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

// # Data import: MNIST as tensors
// *Image restoration with a convolutional autoencoder · notebook 02 of 00–07*
//
// MNIST: 70,000 handwritten digits of 28x28 grey pixels, 60,000 to train on and 10,000 to test with.
// Why a held-out test set: a model is judged on pictures it never trained on, or a memorised training set would look like skill.
//
// This notebook shows:
// - where the four MNIST files come from;
// - the valuable values: row counts and the new shapes after loading;
// - the normalisation of the pixels into [0,1];
// - a grid of the first n test digits with their labels;
// - pixel statistics of the training and test pictures.

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

// ## Where the files come from
//
// In order: the configuration's data directory, the `IMAGE_RESTORATION_DATA` environment variable, the download cache under `data/`, else a download from the public mirrors (checked against their SHA-256).

var directory = DataLocator.Resolve(configuration.DataDirectory);
Console.WriteLine(directory);
foreach (var file in Directory.GetFiles(directory, "*-ubyte*").Order())
    Console.WriteLine($"  {Path.GetFileName(file),-28} {new FileInfo(file).Length,12:N0} bytes");

// ## Loading: row counts and new shapes
//
// The whole data set, whatever the profile: loading takes seconds. The presentation reshapes 28x28 pictures into 28x28x1 (channels last, as Keras); TorchSharp puts the channel first: N x 1 x 28 x 28.

var train = ImageDataset.Load(directory, DatasetSplit.Train);
var test = ImageDataset.Load(directory, DatasetSplit.Test);
Console.WriteLine($"x_train: {train.Count:N0} rows, shape ({string.Join(", ", train.Images.shape)})");
Console.WriteLine($"x_test:  {test.Count:N0} rows, shape ({string.Join(", ", test.Images.shape)})");

// ## Normalisation
//
// The files hold bytes from 0 to 255; dividing by 255 (not 256) maps them onto [0,1] exactly, the range of the model's sigmoid output.

Console.WriteLine($"{train.Images.dtype}: smallest {train.Images.min().item<float>()}, largest {train.Images.max().item<float>()}");

// ## The first n test digits

var n = configuration.PicturesShown;
Console.WriteLine("labels: " + string.Join(" ", test.Labels.Take(n)));
display(DigitGrid.Digits(test.Images, test.Labels, n, "test", $"The first {n} test digits"));

// ## Pixel statistics
//
// Most pixels are black background; the strokes are the bright minority.

PixelStatistics[] statistics = [Numbers.Pixels("train", train.Images), Numbers.Pixels("test", test.Images)];
display(Table.Of(statistics));

// ## What we saw

Console.WriteLine($"{train.Count:N0} training and {test.Count:N0} test pictures of {train.Images.shape[2]}x{train.Images.shape[3]} pixels, " +
                  $"values in [{statistics[0].Min}, {statistics[0].Max}].");
Console.WriteLine($"{statistics[0].BlackFraction * 100:F0}% of the training pixels are black and {statistics[0].BrightFraction * 100:F0}% brighter than 0.5; " +
                  $"the mean pixel is {statistics[0].Mean:F3}.");
Console.WriteLine($"The first {n} test labels: {string.Join(" ", test.Labels.Take(n))}.");
Console.WriteLine($"So {statistics[0].BlackFraction * 100:F0}% of the pixels are right for a model that draws black everywhere: " +
                  "a loss has to be read against easy baselines like this one (notebooks 05 and 06 score another: the average digit).");

// Next: [03 · Model](03-model.ipynb)
