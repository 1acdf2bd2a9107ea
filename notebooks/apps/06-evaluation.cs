// 06-evaluation.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../06-evaluation.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/06-evaluation.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
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

// # Evaluation: the presentation's conclusions, measured
// *Image restoration with a convolutional autoencoder · notebook 06 of 00–07*
//
// The presentation closes by comparing the two trainings. This notebook loads the runs that notebooks 04 and 05 saved in this
// profile, with the same overrides (and trains them itself if they are missing), and checks the presentation's conclusions against their figures.
//
// This notebook shows:
// - training against validation loss, for the clean and the denoising model;
// - clean against noisy on one chart, and the gap between them epoch by epoch;
// - both models scored on the test pictures;
// - Keras or PyTorch, ease of use or granularity: the one-call training next to an opened loop;
// - epochs, case by case: where extra epochs stop paying;
// - spikes: the epochs where the validation loss rose, and whether that is overfitting;
// - the presentation's conclusions, checked against this run's numbers.

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
var cleanConfiguration = profile.Configuration("mode=clean");
var denoisingConfiguration = profile.Configuration("mode=denoising", "noise.kind=gaussian", "noise.factor=0.5", "noise.clip=true");
Console.WriteLine(profile);

// ## The trained models
//
// Loaded from the run folders of notebooks 04 and 05 when they hold a finished run of the identical configuration (same profile,
// same overrides: the folder's name ends with their hash); trained (and saved) otherwise. The cell says which.

var clean = Experiment.LoadOrRun(cleanConfiguration, NotebookProfile.Progress(cleanConfiguration), Console.Out);
var denoising = Experiment.LoadOrRun(denoisingConfiguration, NotebookProfile.Progress(denoisingConfiguration), Console.Out);
foreach (var (name, run) in new[] { ("clean", clean), ("denoising", denoising) })
    Console.WriteLine($"{name}: {run.RunFolder} ({run.History.Epochs.Count} epochs, {profile.Name} profile" +
                      $"{(NotebookProfile.EnvironmentOverrides().Length > 0 ? ", overrides " + string.Join("; ", NotebookProfile.EnvironmentOverrides()) : "")})");

// ## Training against validation: clean

display(LossChart.Of(clean.History, "clean"));

// ## Training against validation: denoising

display(LossChart.Of(denoising.History, "denoising"));

// ## Clean against noisy on one chart

display(LossChart.Of(("clean", clean.History), ("denoising", denoising.History)));

// ## The gap between them
//
// Denoising validation loss minus clean validation loss, epoch by epoch; then both runs in figures.

display(LossChart.Gap(("denoising", denoising.History), ("clean", clean.History)));
display(HTML(HtmlTable.Of([Figures.Summary("clean", clean.History), Figures.Summary("denoising", denoising.History)])));

// ## Both models on the test pictures
//
// Mean squared error to the originals of the inputs and of the outputs, the outputs' binary cross-entropy, the average-digit baseline, and PSNR (dB) and SSIM averaged over pictures (notebook 7 explains them).

TestScore[] scores = [Figures.Score("clean", clean), Figures.Score("denoising", denoising)];
display(HTML(HtmlTable.Of(scores)));

// ## Keras or PyTorch: ease of use or granularity
//
// The presentation contrasts Keras (`fit`: one call does the whole training) with PyTorch (you write the loop). This kit has both.
// The **one call** is what notebooks 04 and 05 ran: `Experiment.Run(configuration)`. It brings shuffling, validation after every
// epoch, checkpoints and resume, TensorBoard, the history, a guard against a diverging loss and early stopping, and it allows what
// its configuration keys and its epoch hook allow.
//
// The **opened loop** below is the PyTorch way: every line is yours. Here it does two things the one call does not: it records the
// loss of every batch (a per-batch hook), and it trains on a custom loss, BCE plus a tenth of the mean absolute error (L1), which
// favours sharper strokes. The price: no validation, no checkpoint, no shuffling, no history unless you write them. One epoch of it
// runs here on the clean model's pictures.

var loopModel = Experiment.CreateModel(cleanConfiguration);
ChannelsLastWeights.Apply(loopModel); // the memory layout the library trains in
var adam = torch.optim.Adam(loopModel.parameters(), lr: cleanConfiguration.LearningRate, eps: cleanConfiguration.AdamEpsilon);
var batchLosses = new List<double>();
var images = clean.Train.Images;
var clock = System.Diagnostics.Stopwatch.StartNew();
loopModel.train();
for (long start = 0; start < images.shape[0]; start += cleanConfiguration.BatchSize)
{
    using var scope = torch.NewDisposeScope();
    var batch = images.narrow(0, start, Math.Min(cleanConfiguration.BatchSize, images.shape[0] - start));
    var output = loopModel.forward(batch);
    var loss = torch.nn.functional.binary_cross_entropy(output, batch)
             + 0.1 * torch.nn.functional.l1_loss(output, batch);  // a custom loss
    adam.zero_grad();
    loss.backward();
    adam.step();
    batchLosses.Add(loss.item<float>());                           // a per-batch hook
}
var loopSeconds = clock.Elapsed.TotalSeconds;
display(LossChart.Batches(batchLosses, "opened loop: BCE + 0.1 L1, per batch"));

Console.WriteLine($"one call: epoch 1 of the clean run took {clean.History.Epochs[0].Seconds:F1} s, validation included; " +
                  $"the opened loop's epoch took {loopSeconds:F1} s for {batchLosses.Count} batches, without validation.");
Console.WriteLine($"The loop's per-batch losses went from {batchLosses[0]:F4} to {batchLosses[^1]:F4}; the one call reports one figure per epoch " +
                  $"({clean.History.Epochs[0].TrainLoss:F4} for its first).");
Console.WriteLine("So the choice is the presentation's: the one call for the standard training with its safety nets, the opened loop when the " +
                  "experiment itself is the loss or the loop.");

// ## Epochs, case by case
//
// The presentation ends with "epochs increasing needs to be evaluated case by case". The validation PSNR (from each epoch's mean
// squared error, in dB: +3 dB halves the error) shows the return of each extra epoch. The diamond marks the first epoch after
// which a further window of epochs lowers the validation loss by less than 0.5%: past it, extra epochs stop paying. The window
// is 10 epochs, or a third of a shorter run. The presentation's 100 epochs are measured in `docs/results.md` (Epochs study), with its command.

var window = Math.Clamp(clean.History.Epochs.Count / 3, 1, 10);
var cleanEpochs = EpochsStudy.Of("clean", clean.History, window);
var denoisingEpochs = EpochsStudy.Of("denoising", denoising.History, window);
display(EpochsChart.Psnr(cleanEpochs, denoisingEpochs));

foreach (var study in new[] { cleanEpochs, denoisingEpochs })
    Console.WriteLine($"{study.Name}: {study.Rows[0].ValidationPsnr:F2} dB after epoch 1, {study.Last.ValidationPsnr:F2} dB after epoch {study.Last.Epoch}; " +
                      (study.PayoffEpoch is { } payoff
                          ? $"after epoch {payoff} the next {study.Window} epochs gain under 0.5% of the loss."
                          : $"each next {study.Window} epoch(s) still gain at least 0.5%: more epochs would still pay."));

// ## Spikes: overfitting at some epochs?
//
// The presentation saw "several spikes on the validation loss, overfitting at some epochs". **Overfitting** is a model learning its
// training pictures rather than digits in general: the training loss keeps falling while the validation loss turns up and stays up.
// A single epoch where the validation loss rises and the next epoch undoes it is not that; it is noise of the stochastic steps.
// The red triangles mark every epoch whose validation loss rose over the epoch before.
// In the presentation's 100 epochs (measured in `docs/results.md`, Epochs study) such rises come only in the later epochs, after
// the curves have flattened: a short run, such as the class profile's, may show none.

display(EpochsChart.Spikes(cleanEpochs));
display(EpochsChart.Spikes(denoisingEpochs));

Console.WriteLine(cleanEpochs.Verdict());
Console.WriteLine(denoisingEpochs.Verdict());

// ## The presentation's conclusions, checked
//
// Each conclusion with the figures of this run that bear on it. A short run may not bear them all out; the full profile is the presentation's own run.

// A gap of at most 5% of the training loss is not overfitting; a code that redraws digits with less than half
// the error of the average digit is enough.
var conclusions = Conclusions.Check(clean.History, denoising.History, scores[0], scores[1],
    new ConclusionTolerances(OverfitGapShare: 0.05, ReconstructionErrorShare: 0.5));
display(HTML(HtmlTable.Of(conclusions)));

// ## What we saw

Console.WriteLine($"{conclusions.Count(c => c.Holds)} of {conclusions.Count} conclusions hold in this {profile.Name}-profile run " +
                  $"({clean.History.Epochs.Count} epochs on {clean.Train.Count:N0} pictures):");
foreach (var conclusion in conclusions)
    Console.WriteLine($"- {(conclusion.Holds ? "holds" : "not seen")}: {conclusion.Statement} {conclusion.Evidence}.");
var overfits = cleanEpochs.Overfits || denoisingEpochs.Overfits;
Console.WriteLine($"So, in this run: restoration works, {(overfits ? "and lasting overfitting does appear" : "no lasting overfitting appears")}" +
                  $" ({cleanEpochs.Spikes.Count + denoisingEpochs.Spikes.Count} passing rises of the validation loss in all), and " +
                  (cleanEpochs.PayoffEpoch is null && denoisingEpochs.PayoffEpoch is null ? "more epochs would still pay." : "past the marked epochs, extra epochs buy little."));

// ## Try it yourself
//
// - **Run 04 and 05 with `IMAGE_RESTORATION_OVERRIDES="epochs=30"`**, then this notebook: it finds those runs (their folders' hash
//   differs) and the epochs study gets a 10-epoch window; expect the diamonds to move earlier relative to the run's length.
// - **Change the threshold**: `EpochsStudy.Of("clean", clean.History, window: 5, threshold: 0.01)` asks for 1% per 5 epochs and
//   marks an earlier epoch.
// - **Change the loop's loss** above, for example `+ 0.5 * torch.nn.functional.mse_loss(output, batch)`: the per-batch curve moves,
//   which the one call cannot show.

// Next: [07 · Restoration quality, measured](07-restoration-quality.ipynb): PSNR/SSIM against classical filters, other degradations and bigger models.
