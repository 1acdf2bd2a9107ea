// 05-denoising.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../05-denoising.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/05-denoising.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
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

// Parameters: the notebook's cell tagged "parameters". Edit them here.
int? epochs = null;          // the profile's: class 15, quick 2, full 100 (the presentation's)
double? noiseFactor = 0.5;   // the Gaussian noise's standard deviation (the presentation's 0.5; between 0 and 2)
double? learningRate = null; // Adam's step; the presentation's 0.001
string? model = null;        // the presentation's autoencoder, or another built-in model: wide, unet, unet-small

// # Denoising: from noisy digits back to clean ones
// *Image restoration with a convolutional autoencoder · notebook 05 of 00–07*
//
// The presentation's second experiment: the same autoencoder, now shown noisy digits and asked for the clean ones (noisy x -> x).
// Why it can work: the 8x4x4 bottleneck has room for the strokes of a digit but not for random noise, which differs in every
// picture; to lower its loss the network learns to keep the first and drop the second.
//
// This notebook shows:
// - Gaussian noise added to the digits, and how much of it leaves [0,1];
// - clipping or rescaling back into [0,1];
// - the autoencoder trained from noisy to clean pictures;
// - its loss per epoch;
// - noisy inputs, cleaned outputs and originals;
// - how much cleaner the outputs are than the inputs.

// ## Setup
//
// Every notebook loads the same setup, [setup.dib](setup.dib): TorchSharp and Plotly.NET at the library's pinned versions, then
// the library built in this repository (run `dotnet build` in the repository root first; the kernel must be the pinned one, see [README](README.md)).

// The notebook's `#!import setup.dib`: the libraries (#:project above), their namespaces (the usings above),
// and figures written as PNG files in a folder named like this app, next to it.
FileDisplay.Start();
NotebookDisplay.Register();

// ## Parameters
//
// What you may change for a run of your own, as plain C# values: edit one and run the notebook again (`null` keeps the
// profile's value). Each change gives the run another name, so it trains into a folder of its own and never overwrites
// another run. A headless run sets them without editing the notebook, as papermill does:
// `notebook-runner -p epochs 3 NOTEBOOK.ipynb` (or `papermill -p epochs 3`) adds a cell after this one.

// ## Configuration
//
// The profile decides how long training takes: `class` (the default, for a lesson), `quick` (for CI) or `full` (the presentation's
// 100 epochs). Set `IMAGE_RESTORATION_PROFILE=class|quick|full` before the kernel starts;
// `IMAGE_RESTORATION_OVERRIDES="key=value;..."` changes any key for every notebook and always wins over the notebook's own values.
// The cell prints the profile, what it trains and what it cost on this kit's 2-core machine.
//
// The presentation's noise, written out: Gaussian, factor 0.5, clipped (environment overrides such as `degradation.noiseFactor=0.3` still win).

var profile = NotebookProfile.FromEnvironment().With(new { epochs, noiseFactor, learningRate, model });
var configuration = profile.Configuration("mode=denoising", "degradation.kind=gaussian", "degradation.noiseClip=true");
Console.WriteLine(profile);
Console.WriteLine($"noise: {configuration.Degradation.Create().Name}{(NotebookProfile.EnvironmentOverrides().Length > 0 ? $" (overrides in force: {string.Join("; ", NotebookProfile.EnvironmentOverrides())})" : "")}");

// ## Noisy data
//
// `x + factor * N(0,1)` leaves [0,1], the range of the pictures and of the model's sigmoid output.

var digits = ImageDataset.Load(DataLocator.Resolve(configuration.DataDirectory), DatasetSplit.Test, limit: 1000);
var raw = digits.Images + configuration.Degradation.NoiseFactor * torch.randn(digits.Images.shape, generator: new torch.Generator((ulong)configuration.Seed));
var outside = (raw < 0).logical_or(raw > 1).to(torch.float32).mean().item<float>();
Console.WriteLine($"noisy values range over [{raw.min().item<float>():F2}, {raw.max().item<float>():F2}]; {outside * 100:F0}% of the pixels lie outside [0,1]");

// ## Normalisation back into [0,1]
//
// Clipping sets what lies below 0 to 0 and above 1 to 1; rescaling stretches each noisy picture onto [0,1].

Degradation[] noises = [configuration.Degradation.Create(), new GaussianNoise(configuration.Degradation.NoiseFactor, NoiseNormalisation.Rescale)];
display(DigitGrid.Degradations(digits.Images, noises, configuration.PicturesShown, configuration.Seed, digits.Labels, "Clean, noisy and clipped, noisy and rescaled"));

// ## De-noising: training noisy -> clean

var denoising = Experiment.Run(configuration, NotebookProfile.Progress(configuration), Console.Out);

// ## Loss per epoch

display(LossChart.Of(denoising.History, "denoising"));

// ## Noisy input, cleaned output, original
//
// The noisy inputs are the validation pictures as the training saw them (noise seeded with the configuration's seed + 1).

display(DigitGrid.Denoising(denoising));

// ## How much cleaner?
//
// Mean squared error to the originals, over the validation pictures: of the noisy inputs, of the cleaned outputs, and of the average training digit
// drawn every time (a baseline). The table also gives two measures of picture quality, averaged over pictures: **PSNR** (peak signal-to-noise
// ratio, in dB: `10 log10(1 / MSE)` for pixels in [0,1], so +3 dB halves the squared error) and **SSIM** (structural similarity: local
// brightness, contrast and structure compared, 1 for identical pictures).

var score = Numbers.Score("denoising", denoising);
display(Table.Of([score]));

// ## What we saw

var last = denoising.History.Last!;
Console.WriteLine($"Noise factor {configuration.Degradation.NoiseFactor}: {outside * 100:F0}% of the noisy pixels had to be clipped back into [0,1].");
Console.WriteLine($"After {last.Epoch} epochs on {denoising.Train.Count:N0} pictures: validation loss {last.ValidationLoss:F4} (training {last.TrainLoss:F4}).");
Console.WriteLine($"Mean squared error to the originals: {score.InputMse:F4} for the noisy inputs, {score.OutputMse:F4} for the cleaned outputs " +
                  $"({score.InputMse / score.OutputMse:F1} times smaller).");
Console.WriteLine(score.OutputMse < score.InputMse
    ? $"So the autoencoder removes {1 - score.OutputMse / score.InputMse:P0} of the squared error the noise added, although it never saw these test pictures."
    : "So in this short run the outputs are not yet closer to the originals than the noisy inputs: train longer (see below).");

// ## Try it yourself
//
// Edit one or two values and run the cell: it trains a configuration of its own, into a run folder whose name covers every value, so
// this notebook's run is never overwritten (run it again unchanged and it loads the finished run). Cost on the class profile: about
// 20 s for the 2 epochs below (16.2 s in the committed class run, on a quiet 2-core machine).
// Look at the validation curves: lighter noise (0.3) gives a lower loss, since less of each digit is lost; heavier noise (0.8) a higher one.
// `degradation.noiseClip=false` in the list rescales instead of clipping: a grey background, a different task.

var tryFactor = 0.3;  // the presentation's noise factor is 0.5
var tryEpochs = 2;
var tryConfiguration = profile.Configuration("mode=denoising", "degradation.kind=gaussian", FormattableString.Invariant($"degradation.noiseFactor={tryFactor}"),
    "degradation.noiseClip=true", $"epochs={tryEpochs}");
var tried = Experiment.LoadOrRun(tryConfiguration, NotebookProfile.Progress(tryConfiguration), Console.Out);
display(LossChart.Of(($"noise {configuration.Degradation.NoiseFactor}, this notebook's run", denoising.History), ($"noise {tryFactor}, {tryEpochs} epochs", tried.History)));

// Next: [06 · Evaluation](06-evaluation.ipynb)
