// 07-restoration-quality.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../07-restoration-quality.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/07-restoration-quality.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
#:project ../../lib/ImageRestoration.Notebooks/ImageRestoration.Notebooks.csproj
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

// # Restoration quality: PSNR and SSIM against classical filters
// *Image restoration with a convolutional autoencoder · notebook 07 of 00–07*
//
// The presentation judges its autoencoder by loss curves alone, and concludes that picture restoration
// is feasible and that more capacity would help. This notebook measures those claims with the figures
// image restoration is usually judged by, on the same degraded test pictures for every method.
//
// This notebook shows:
// - PSNR and SSIM of the autoencoder against classical filters (Gaussian blur, median, total variation) on the same noisy digits;
// - how each method fares from light to heavy noise, with a model trained at one noise level;
// - the autoencoder trained on other degradations: salt and pepper, missing pixels, a missing square (inpainting), blur;
// - a capacity study: the seed model against a wider one and two U-Nets with skip connections;
// - the quality targets, checked against this run's figures.

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
// The same profile as the other notebooks (`IMAGE_RESTORATION_PROFILE=class|quick|full`, plus `IMAGE_RESTORATION_OVERRIDES`, which wins).
// The studies train nine models, so a profile may give them a smaller budget than notebooks 04 and 05 (the class profile does; the
// cell prints it). Every study trains what it needs into the profile's run folders and reuses finished runs of the identical
// configuration: with the same budget, the clean and noisy models of notebooks 04 and 05 are not trained again. Each study also
// saves its table (JSON, Markdown) under `studies/` in the profile's run folder.

var profile = NotebookProfile.FromEnvironment();
var configuration = profile.StudyConfiguration("noise.kind=gaussian", "noise.factor=0.5", "noise.clip=true");
var options = new StudyOptions { Progress = NotebookProfile.Progress(configuration), Log = Console.Out };
Console.WriteLine(profile);
Console.WriteLine($"the studies train {configuration.Epochs} epochs on {(configuration.TrainLimit == 0 ? "all" : configuration.TrainLimit.ToString("N0"))} training pictures" +
                  $"{(profile.StudyOverrides.Count > 0 ? $" ({string.Join(", ", profile.StudyOverrides)} for this profile's studies)" : ", the budget of notebooks 04 and 05")}");

// ## The measures
//
// **PSNR** (peak signal-to-noise ratio, dB) is `10 log10(1 / MSE)` for pixels in [0,1], computed per picture and averaged;
// +3 dB halves the squared error. **SSIM** (structural similarity, Wang et al. 2004: 11x11 Gaussian window, σ 1.5)
// compares local brightness, contrast and structure; 1 is identical. Both are higher-is-better.

// ## Against classical filters
//
// Every method restores the same noisy test pictures (the ones the trainer validated on). The model trained on
// clean pictures, as in notebook 4, is scored too: an autoencoder does not denoise unless it is trained to.

var baselines = Study.RunBaselines(configuration, options);
display(StudyChart.Of(baselines));

display(HTML(HtmlTable.Of(baselines)));

// ## From light to heavy noise
//
// The model trained at noise factor 0.5 and every filter, on test pictures degraded at factors 0.1 to 0.9.

var sweep = Study.RunNoiseSweep(configuration, options);
display(StudyChart.Of(sweep));

// ## Other degradations
//
// One seed model trained on each of the library's degradations, against the best filter on the same pictures.

var degradations = Study.RunDegradations(configuration, options);
display(StudyChart.Of(degradations));

display(HTML(HtmlTable.Of(degradations)));

// ## Degraded, restored and original
//
// The first test digits through each degradation's model (from the run folders the study just used).

foreach (var kind in Enum.GetValues<DegradationKind>())
    display(Figures.Restorations(Study.TrainedOn(configuration, kind)));

// ## Capacity: the "perks of higher dimensionality"
//
// The same budget (epochs, data, noise) for the seed model, a wider one (4x the filters, same topology) and
// U-Nets with skip connections (Ronneberger et al. 2015) at two widths. Training against test PSNR shows overfitting.

var capacity = Study.RunCapacity(configuration, options);
display(StudyChart.Of(capacity));

display(HTML(HtmlTable.Of(capacity)));

// ## What we saw
//
// The quality targets, checked against this run. A quick-profile run trains for minutes, not the 20 epochs the
// targets are set for; the README gives the full run's figures and the commands that reproduce them.

// The targets: +2 dB over the best filter, +2 dB over the seed for the best model, and a validation BCE
// of at most 0.099 for the clean seed after 20 epochs or more.
var targets = Conclusions.CheckTargets(baselines, capacity,
    new QualityTargets(ModelOverBestFilterDb: 2, BestModelOverSeedDb: 2, CleanEpochs: 20, CleanValidationBce: 0.099));
Console.WriteLine($"{targets.Count(t => t.Holds)} of {targets.Count} targets met in this {profile.Name}-profile run " +
                  $"({configuration.Epochs} epochs on {baselines.TrainImages:N0} pictures):");
foreach (var target in targets)
    Console.WriteLine($"- {(target.Holds ? "met" : "not met")}: {target.Statement} {target.Evidence}.");
var seedRow = capacity.Rows.First(r => r.Model == ModelCatalog.Seed && r.Kind == RestorerKind.Model);
var bestRow = capacity.Rows.Where(r => r.Kind == RestorerKind.Model).MaxBy(r => r.Psnr)!;
Console.WriteLine(bestRow.Model == ModelCatalog.Seed
    ? "So in this run the seed is the best of the capacity study: with this budget, more capacity has not paid yet."
    : $"So capacity pays here: {bestRow.Model} restores {bestRow.Psnr - seedRow.Psnr:F2} dB better than the seed on the same budget, the presentation's \"perks of higher dimensionality\".");

// ## Try it yourself
//
// - **More epochs for the studies**: `IMAGE_RESTORATION_OVERRIDES="epochs=20"` before the kernel starts (the README's figures are
//   20 epochs); every model trains into a new folder, and the gap between the U-Nets and the seed grows.
// - **Another noise level**: change `noise.factor=0.5` above to `0.3`: the filters come closer to the model, since light noise is easier to blur away.
// - **Your own model in the capacity study**: register it as in notebook 03, then
//   `Study.RunCapacity(configuration, options with { Models = [ModelCatalog.Seed, "wider-bottleneck"] })`.

// Back to the start: [00 · Introduction](00-introduction.ipynb) · How to run these notebooks: [README](README.md)
