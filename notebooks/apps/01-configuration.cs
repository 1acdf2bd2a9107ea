// 01-configuration.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../01-configuration.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/01-configuration.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
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

// # Configuration: the hyperparameters as one object
// *Image restoration with a convolutional autoencoder · notebook 01 of 00–07*
//
// The presentation gathers its hyperparameters in one place. Here they are one typed object, `ExperimentConfiguration`, which every notebook, the command line and the tests build their runs from.
// Why one object: a run is only reproducible if everything that changes its numbers is written down, and one object can be saved
// beside the run, compared with another, and hashed into the run folder's name.
//
// This notebook shows:
// - the presentation's hyperparameters (28x28x1 images, batch size 128, 100 epochs, verbosity 1, n = 10 pictures shown) as one configuration object;
// - every configuration key with its value and meaning, as a table;
// - how to override a value by name, and how a wrong value is reported;
// - the class, quick and full profiles that decide how long the notebooks train;
// - the JSON that every run folder saves, and how the folder's name follows from it.

// ## Setup
//
// Every notebook loads the same setup, [setup.dib](setup.dib): TorchSharp and Plotly.NET at the library's pinned versions, then
// the library built in this repository (run `dotnet build` in the repository root first; the kernel must be the pinned one, see [README](README.md)).

// The notebook's `#!import setup.dib`: the libraries (#:project above), their namespaces (the usings above),
// and figures written as PNG files in a folder named like this app, next to it.
FileDisplay.Start();
NotebookDisplay.Register();

// ## The presentation's hyperparameters
//
// A new configuration holds the presentation's values.

var presentation = new ExperimentConfiguration();
display(Table.Of(Numbers.Hyperparameters(presentation)));

// ## Every key
//
// Beyond the presentation's five values: the learning rate, the random seed, the degradation settings, where data and runs live.

display(Table.Of(presentation.Keys()));

// ## Overriding a value by name
//
// Edit a hyperparameter and rerun, without editing code: `With` takes `key=value` pairs with dotted keys.

var edited = new ExperimentConfiguration().With("epochs=5", "degradation.noiseFactor=0.3");
Console.WriteLine($"epochs {presentation.Epochs} -> {edited.Epochs}; degradation.noiseFactor {presentation.Degradation.NoiseFactor} -> {edited.Degradation.NoiseFactor}");

// ## A wrong value names the key
//
// Every invalid value is reported at once, with its key and the rule it breaks.

try
{
    new ExperimentConfiguration().With("batchSize=0", "degradation.noiseFactor=5");
}
catch (ConfigurationException e)
{
    Console.WriteLine(e.Message);
}

// ## Profiles: class, quick or full
//
// The notebooks read the profile from `IMAGE_RESTORATION_PROFILE` (class when unset). This is what each profile changes and what it cost, and what this run's configuration changes from the presentation's.

var profile = NotebookProfile.FromEnvironment();
var configuration = profile.Configuration();
display(Table.Of(NotebookProfile.All.Select(p => new { p.Name, p.Description, p.Overrides, p.Cost })));
display(Table.Of(Numbers.Changes(presentation, configuration)));

// ## Saved with every run, and named after it
//
// Each run folder keeps the configuration it was trained with, as JSON. Its name is readable (model, mode, degradation, seed) and ends
// with a short hash of every key that changes the results, so editing the epochs or the learning rate trains into a new folder
// and never overwrites another run; verbosity, threads and the log directory do not count. A later notebook reuses a run only
// if it was made with the identical configuration.

Console.WriteLine(configuration.ToJson());
Console.WriteLine($"run folder: {RunFolder.For(configuration)}");
Console.WriteLine($"with learningRate=0.002: {RunFolder.For(profile.Configuration("learningRate=0.002"))}");
Console.WriteLine($"with verbosity=2:        {RunFolder.For(profile.Configuration("verbosity=2"))}");

// ## What we saw

Console.WriteLine($"The presentation trains for {presentation.Epochs} epochs in batches of {presentation.BatchSize} on " +
                  $"{presentation.ImageHeight}x{presentation.ImageWidth}x{presentation.Channels} images, verbosity {presentation.Verbosity}, " +
                  $"and shows n = {presentation.PicturesShown} pictures per figure.");
Console.WriteLine($"This run uses the {profile.Name} profile: {configuration.Epochs} epochs on " +
                  $"{(configuration.TrainLimit == 0 ? "all" : configuration.TrainLimit.ToString("N0"))} training images, " +
                  $"{Numbers.Changes(presentation, configuration).Count} keys changed from the presentation.");
var batches = (int)Math.Ceiling((configuration.TrainLimit == 0 ? 60000 : configuration.TrainLimit) / (double)configuration.BatchSize);
Console.WriteLine($"So this run's model takes {configuration.Epochs * batches:N0} Adam steps ({configuration.Epochs} epochs of {batches} batches); " +
                  $"the presentation's takes {presentation.Epochs * (int)Math.Ceiling(60000 / (double)presentation.BatchSize):N0}.");

// Next: [02 · Data import](02-data-import.ipynb)
