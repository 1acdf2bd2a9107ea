// 03-model.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../03-model.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/03-model.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
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
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using static ImageRestoration.Notebooks.FileDisplay;

// Parameters: the notebook's cell tagged "parameters". Edit them here.
int? epochs = 3; // how long the wider bottleneck below trains (null: the profile's epochs)

// # The model: a convolutional autoencoder
// *Image restoration with a convolutional autoencoder · notebook 03 of 00–07*
//
// The presentation's model definition: a convolutional encoder squeezes a 1x28x28 digit into an 8x4x4 code, and a decoder draws the digit again from that code.
//
// This notebook shows:
// - the model's code: the C# that trains, read from the library itself;
// - the autoencoder, built with Keras's initialisation (Glorot-uniform weights: drawn uniformly within ±sqrt(6 / (inputs + outputs)) of each layer, so that signals keep their
//   scale from layer to layer; zero biases) from the configuration's seed;
// - the Keras-style summary: each layer's output shape and parameter count, and the total;
// - one batch of digits going through the encoder and the decoder;
// - the separate encoder, which shares the autoencoder's weights;
// - what the model draws before any training;
// - your own model, defined in a cell, trained through the same path.

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

var profile = NotebookProfile.FromEnvironment().With(new { epochs });
var configuration = profile.Configuration();
Console.WriteLine(profile);

// ## The model as code
//
// The presentation's model slides are its Keras code. This is the C# that runs, printed from the library's own source file
// (`lib/ImageRestoration/Models/Autoencoder.cs`: the autoencoder, its encoder and its decoder, compiled into the library), so it cannot drift from what trains.
// Why each piece:
// - **Convolution** (`Conv2d`, 3x3): each output pixel is a weighted sum of a 3x3 neighbourhood, with the same weights
//   everywhere in the picture. A stroke is a stroke wherever it is, so a few shared weights find it anywhere.
// - **ReLU** keeps positive responses and zeroes the rest: without a non-linearity, stacked convolutions would collapse into one.
// - **Pooling** (`MaxPool2d`, 2x2) keeps the strongest response of each 2x2 block: the picture halves (28 -> 14 -> 7 -> 4)
//   and each later convolution sees a wider area.
// - **The bottleneck**: the code is 8x4x4 = 128 numbers for 784 pixels. The decoder must redraw the digit from that summary alone,
//   so the network is forced to keep what matters (the strokes) and drop the rest (noise, in notebook 05).
// - **Upsampling** doubles the picture back (4 -> 8 -> 16 -> 28, with one *valid* convolution turning 16 into 14).
// - **Sigmoid** squashes the last layer into (0,1), the range of the pixels, which binary cross-entropy (notebook 04) needs.

Console.WriteLine($"// ---- lib/ImageRestoration/Models/Autoencoder.cs\n{LibrarySource.Read("Models/Autoencoder.cs")}");

// ## Model definition

var model = (Autoencoder)Experiment.CreateModel(configuration);
Console.WriteLine($"{configuration.Model}: {model.GetType().Name}, weights drawn with seed {configuration.Seed}");

// ## Summary
//
// As Keras prints it: the encoder (three convolutions, each followed by max pooling) then the decoder (convolutions and upsampling; one *valid* convolution turns 16x16 into 14x14 so that the last upsampling lands on 28x28).

var summary = ModelSummary.Of(model);
Console.WriteLine(summary);

// ## The same summary as a table

display(Table.Of(summary.Layers));

// ## A batch of digits through the network

var test = ImageDataset.Load(DataLocator.Resolve(configuration.DataDirectory), DatasetSplit.Test, configuration.PicturesShown);
var codes = model.Encoder.forward(test.Images);
var outputs = model.forward(test.Images);
Console.WriteLine($"input ({string.Join(", ", test.Images.shape)}) -> code ({string.Join(", ", codes.shape)}) -> output ({string.Join(", ", outputs.shape)})");

// ## The encoder shares the autoencoder's weights
//
// The presentation builds a second model, the encoder, from the autoencoder's first layers. Here too it is the same tensors: training the autoencoder trains the encoder.

var (shared, encoderTotal, total) = Numbers.SharedParameters(model);
Console.WriteLine($"The encoder has {encoderTotal:N0} parameters; {shared:N0} of them are the autoencoder's own tensors (of {total:N0}).");

// ## Before training
//
// Untrained, the decoder draws grey noise whatever the input.

display(DigitGrid.Reconstructions(model, test.Images, test.Labels, configuration.PicturesShown, "Before training: input, code and output"));

// ## What we saw

var pixels = test.Images.shape[1] * test.Images.shape[2] * test.Images.shape[3];
var codeSize = codes.shape[1] * codes.shape[2] * codes.shape[3];
Console.WriteLine($"{summary.Layers.Count} layers, {summary.TotalParameters:N0} parameters in all.");
Console.WriteLine($"A {pixels}-pixel digit becomes a code of {codeSize} numbers ({string.Join("x", codes.shape.Skip(1))}), {(double)pixels / codeSize:F1} times fewer.");
Console.WriteLine($"So the decoder has to redraw each digit from {100.0 * codeSize / pixels:F0}% as many numbers: " +
                  "whatever the code cannot hold (fine detail, and noise) is lost, which is what lets the autoencoder denoise.");

// ## Try it yourself: your own model
//
// Any `Module<Tensor, Tensor>` that maps N x 1 x 28 x 28 pictures to N x 1 x 28 x 28 values in [0,1] can train through the same
// `Experiment` and `Trainer` path as the presentation's model. Register it under a name and the configuration can name it (`model=NAME`);
// its run goes into its own folder, whose name covers the layers too.
//
// Here: the presentation model's layers with 16 channels instead of 8 in the code (16x4x4 = 256 numbers), trained for 3 epochs
// on the profile's pictures. Cost on the class profile: under a minute (36 s in the committed class run, on a quiet 2-core
// machine). Look at its loss against the presentation's model's: does a wider code restore the digits better?

// The presentation model's layers, with 16 channels instead of 8 in the code: 16x4x4 = 256 numbers.
Module<Tensor, Tensor> WiderBottleneck() => Sequential(
    ("conv1", Conv2d(1, 16, 3, padding: 1)), ("relu1", ReLU()), ("pool1", MaxPool2d(2, ceil_mode: true)),      // 16x14x14
    ("conv2", Conv2d(16, 8, 3, padding: 1)), ("relu2", ReLU()), ("pool2", MaxPool2d(2, ceil_mode: true)),      // 8x7x7
    ("conv3", Conv2d(8, 16, 3, padding: 1)), ("relu3", ReLU()), ("pool3", MaxPool2d(2, ceil_mode: true)),      // the code: 16x4x4
    ("conv4", Conv2d(16, 8, 3, padding: 1)), ("relu4", ReLU()), ("up1", Upsample(scale_factor: [2.0, 2.0])),  // 8x8x8
    ("conv5", Conv2d(8, 8, 3, padding: 1)),  ("relu5", ReLU()), ("up2", Upsample(scale_factor: [2.0, 2.0])),  // 8x16x16
    ("conv6", Conv2d(8, 16, 3)),             ("relu6", ReLU()), ("up3", Upsample(scale_factor: [2.0, 2.0])),  // valid: 16x14x14, then 28
    ("conv7", Conv2d(16, 1, 3, padding: 1)), ("sigmoid", Sigmoid()));

ModelCatalog.Register("wider-bottleneck", WiderBottleneck);
var variantConfiguration = profile.Configuration("model=wider-bottleneck");
Console.WriteLine(ModelSummary.Of(Experiment.CreateModel(variantConfiguration)));

var variant = Experiment.Run(variantConfiguration, NotebookProfile.Progress(variantConfiguration), Console.Out);
display(LossChart.Of(variant.History, "wider bottleneck"));

// A model of the wrong shape is refused before any training, with the shape it gave. This one forgets to upsample after pooling:

try
{
    ModelCatalog.Register("forgot-to-upsample", () => Sequential(Conv2d(1, 8, 3, padding: 1), ReLU(), MaxPool2d(2), Conv2d(8, 1, 3, padding: 1), Sigmoid()));
}
catch (ArgumentException e)
{
    Console.WriteLine(e.Message);
}

var variantLast = variant.History.Last!;
Console.WriteLine($"The wider bottleneck ({ModelSummary.Of(variant.Model).TotalParameters:N0} parameters against the presentation model's {summary.TotalParameters:N0}) " +
                  $"reached a validation loss of {variantLast.ValidationLoss:F4} after {variantLast.Epoch} epochs, {variant.History.Epochs.Average(e => e.Seconds):F1} s per epoch;");
Console.WriteLine($"its run folder: {variant.RunFolder}. Notebook 04 trains the presentation's model: compare its validation loss after epoch {variantLast.Epoch}.");

// Edit `WiderBottleneck` above and run the cells again from there. Each version trains into a new run folder; none overwrites another.
// Cost on the class profile: the 3 epochs took 15.4 s each in the committed class run on a quiet 2-core machine, under a minute in all
// (a version with more channels takes longer).
// - **32 channels in the code** (`conv3`'s output and `conv4`'s input): more parameters; expect a lower loss after the same 3 epochs, because the code holds more.
// - **Drop `pool3` and `up1`** (and give `conv6` `padding: 1`): the code becomes 16x7x7, three times larger; the loss falls further,
//   but a code nearly as large as the picture has less reason to discard noise.
// - **Remove the `Sigmoid`**: `Register` refuses the model, naming the range of values it gave, because binary cross-entropy needs [0,1].

// Next: [04 · Clean training](04-clean-training.ipynb)
