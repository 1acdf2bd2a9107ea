// 04-clean-training.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../04-clean-training.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/04-clean-training.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
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
double? learningRate = null; // Adam's step; the presentation's 0.001
string? model = null;        // the presentation's autoencoder, or another built-in model: wide, unet, unet-small

// # Clean training: an autoencoder learns to redraw digits
// *Image restoration with a convolutional autoencoder · notebook 04 of 00–07*
//
// The presentation's autoencoder training: the model learns to give back its input (x -> x) through the 8x4x4 bottleneck, with Adam on binary cross-entropy, validated on the test pictures after every epoch.
//
// Why these two:
// - **Binary cross-entropy with a sigmoid.** Each output pixel is a sigmoid value in (0,1) and each target pixel lies in [0,1];
//   BCE, `-(y log p + (1-y) log(1-p))`, treats them as probabilities of "white". Its gradient through the sigmoid is simply
//   `p - y`, so a confidently wrong pixel is corrected hard and the learning does not stall where the sigmoid is flat.
// - **Adam** adapts the step of every weight to the size of its recent gradients: the same learning rate suits layers whose
//   gradients differ by orders of magnitude, with no per-layer tuning.
//
// This notebook shows:
// - one training step (forward, BCE, backward, Adam step) written out, next to the library's own step;
// - training with a progress line per epoch (loss, validation loss, speed);
// - the run folder with its TensorBoard log (TensorBoard is TensorFlow's viewer of training logs: `tensorboard --logdir runs/notebooks/class`
//   draws the same curves in a browser);
// - the training and validation loss per epoch as a chart;
// - grids of input, encoded (the 8x4x4 codes as pictures) and decoded digits;
// - the trained model saved for the evaluation notebook.

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

var profile = NotebookProfile.FromEnvironment().With(new { epochs, learningRate, model });
var configuration = profile.Configuration("mode=clean");
Console.WriteLine(profile);

// ## One training step, by hand and by the library
//
// Four lines are the whole of learning: run the model forward, measure the BCE against the clean pictures, compute the gradients
// backward, let Adam update the weights. Below they run by hand on one batch, and the library's `Trainer.Step` runs on an
// identical model (same seed, same weights) and the same batch. After the update both models give the same loss: the library's
// step is these four lines.

var batch = ImageDataset.Load(DataLocator.Resolve(configuration.DataDirectory), DatasetSplit.Train, configuration.BatchSize).Images;

// By hand.
var byHand = Experiment.CreateModel(configuration);
// The channels-last guard the library applies to every model: on AVX-512 CPUs libtorch's oneDNN computes wrong convolution
// gradients for weights in the default memory layout (../docs/numerical-trap.md has the fault and its measurement).
ChannelsLastWeights.Apply(byHand);
var adam = torch.optim.Adam(byHand.parameters(), lr: configuration.LearningRate, eps: configuration.AdamEpsilon);
var output = byHand.forward(batch);                                    // forward
var loss = torch.nn.functional.binary_cross_entropy(output, batch);    // BCE against the clean pictures
adam.zero_grad();
loss.backward();                                                       // gradients
adam.step();                                                           // one Adam update

// By the library, on an identical model.
var byLibrary = Experiment.CreateModel(configuration);
var trainer = new Trainer(byLibrary, configuration);
var (_, libraryLoss) = trainer.Step(batch, batch);

double LossNow(RestorationModel model) { using var _ = torch.no_grad(); model.eval(); return torch.nn.functional.binary_cross_entropy(model.forward(batch), batch).item<float>(); }
Console.WriteLine($"loss before the step: by hand {loss.item<float>():F6}, library {libraryLoss.item<float>():F6}");
Console.WriteLine($"loss after the step:  by hand {LossNow(byHand):F6}, library {LossNow(byLibrary):F6}");
Console.WriteLine($"largest difference between the two models' weights: " +
                  $"{byHand.parameters().Zip(byLibrary.parameters()).Max(p => (p.First - p.Second).abs().max().item<float>()):G3}");

// ## Autoencoder training: one call
//
// `Experiment.Run` is the presentation's `autoencoder.fit(...)`: shuffled batches of the step above, validation after each epoch,
// checkpoints, the history and TensorBoard. It trains even when an earlier run of this configuration exists, and saves the run
// folder (configuration, history, model, TensorBoard events) when it is done.

var clean = Experiment.Run(configuration, NotebookProfile.Progress(configuration), Console.Out);

// ## The run folder and TensorBoard
//
// The loss curves are also written as TensorBoard scalars, in the run folder.

Console.WriteLine($"run folder: {clean.RunFolder}");
foreach (var file in Directory.GetFiles(clean.RunFolder.Path).Order())
    Console.WriteLine($"  {Path.GetFileName(file)}");
Console.WriteLine($"to browse: tensorboard --logdir {configuration.LogDirectory}");

// ## Loss per epoch
//
// Training loss (solid) is the mean over each epoch's batches; validation loss (dashed) is measured on the test pictures after the epoch.

display(LossChart.Of(clean.History, "clean"));

// ## Input, encoded and decoded digits
//
// Each code has 8 channels of 4x4 values, drawn side by side and stretched to black-to-white per digit.

display(DigitGrid.Reconstructions(clean.Model, clean.Test.Images, clean.Test.Labels, configuration.PicturesShown));

// ## Saved for later notebooks
//
// The evaluation notebook loads this model from the run folder. The loss chart is saved there too, as a page that works offline.

var page = ChartHtml.Save(LossChart.Of(clean.History, "clean"), clean.RunFolder.File("loss.html"));
Console.WriteLine($"{clean.RunFolder.ModelFile}: {new FileInfo(clean.RunFolder.ModelFile).Length:N0} bytes");
Console.WriteLine($"{page}: the loss chart, with plotly.js beside it");

// ## What we saw

var last = clean.History.Last!;
var first = clean.History.Epochs[0];
Console.WriteLine($"{last.Epoch} epochs on {clean.Train.Count:N0} pictures at learning rate {configuration.LearningRate}, {clean.History.Epochs.Average(e => e.Seconds):F1} s per epoch.");
Console.WriteLine($"Validation loss {first.ValidationLoss:F4} after the first epoch, {last.ValidationLoss:F4} after the last " +
                  $"(training loss {last.TrainLoss:F4}); validation mean squared error {last.ValidationMse:F4}.");
var halfway = clean.History.Epochs[clean.History.Epochs.Count / 2];
var lateGain = (halfway.ValidationLoss - last.ValidationLoss) / halfway.ValidationLoss;
Console.WriteLine(clean.History.Epochs.Count < 3
    ? "Two epochs only show the start: the loss falls fast, and the curves cannot yet show where they flatten."
    : $"So most of the learning is early: the first epoch took the validation loss to {first.ValidationLoss:F4}, and the second half of the run " +
      $"(epochs {halfway.Epoch}-{last.Epoch}) lowered it by only {lateGain:P1}; validation stays {(last.ValidationLoss <= last.TrainLoss ? "at or below" : "just above")} training, so no overfitting yet.");

// ## Try it yourself
//
// Edit one or two values and run the cell: it trains a configuration of its own, into a run folder whose name covers every value, so
// this notebook's run is never overwritten (run it again unchanged and it loads the finished run instead of training). Cost on the
// class profile: about 20 s for the 2 epochs below (22.5 s in the committed class run, on a quiet 2-core machine).
// Look at the first epochs: does a larger learning rate lower the loss faster, and does its validation curve stay as smooth?

var tryLearningRate = 0.01;  // the presentation's is 0.001
var tryEpochs = 2;
var tryConfiguration = profile.Configuration("mode=clean", FormattableString.Invariant($"learningRate={tryLearningRate}"), $"epochs={tryEpochs}");
var tried = Experiment.LoadOrRun(tryConfiguration, NotebookProfile.Progress(tryConfiguration), Console.Out);
display(LossChart.Of(("this notebook's run", clean.History), ($"learning rate {tryLearningRate}, {tryEpochs} epochs", tried.History)));

// Next: [05 · Denoising](05-denoising.ipynb)
