// 08-your-own-picture.ipynb as a .NET file-based app, written by notebook-runner --write-apps from ../08-your-own-picture.ipynb: edit the notebook,
// then write the apps again (notebook-runner --check-apps fails while this file differs from what its notebook gives).
// Run: dotnet run notebooks/apps/08-your-own-picture.cs (IMAGE_RESTORATION_PROFILE=class|quick|full, as for the notebook).
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
using ImageRestoration.Metrics;
using ImageRestoration.Photos;
using static ImageRestoration.Notebooks.FileDisplay;

// # Your own picture: a blind denoiser for photographs
// *Image restoration with a convolutional autoencoder · notebook 08 of 00–08*
//
// The presentation's first conclusion is about the perks of higher dimensionality, and its aim is to "recover an image
// from a degraded version". Notebooks 00–07 stay on 28x28 digits; the question a student asks next is: does it work on my photo?
// This notebook answers with a model made for photographs: fully convolutional (any size, any shape), trained on natural
// pictures at every noise level from 5 to 55 (of 255) at once, so it needs no noise level from the user (a *blind* denoiser).
//
// This notebook shows:
// - a test photograph (never seen in training) with Gaussian noise, and the noise level estimated from the noisy picture alone;
// - the shipped photo denoiser restoring it: noisy / restored / original, with zoomed crops;
// - PSNR and SSIM against the classical filters (Gaussian blur, median, total variation and non-local means at their best settings);
// - how to restore your own file, here or with `image-restoration restore`;
// - a one-minute fine-tune of the shipped model, the same training that made it.

// ## Setup
//
// The shared [setup.dib](setup.dib), then the photo classes (`ImageRestoration.Photos`: reading and writing PNG and JPEG,
// the photo sets, the shipped model). The photographs are scikit-image's sample pictures from Debian's `python3-skimage`,
// put in place by `.devcontainer/install-prerequisites.sh` (see [data/README.md](../data/README.md) for each one's licence).

// The notebook's `#!import setup.dib`: the libraries (#:project above), their namespaces (the usings above),
// and figures written as PNG files in a folder named like this app, next to it.
FileDisplay.Start();
NotebookDisplay.Register();

var photos = PhotoSet.Directory();
Console.WriteLine($"Photographs: training {string.Join(", ", PhotoSet.Train)}; test {string.Join(", ", PhotoSet.Test)}.");

// ## A photograph and its noise
//
// Chelsea the cat, a colour test picture. Noise of standard deviation σ = 25 (of 255) is added to every pixel and channel,
// then clipped into [0,1], as a saved photograph would be. To try another picture, change the file name in the first line.

var photoFile = Path.Combine(photos, "chelsea.png");   // or the path of your own PNG or JPEG
var sigma = 25.0;                                       // of 255
var clean = PhotoFile.Read(photoFile);
var noisy = PhotoStudy.Noisy(clean, sigma, seed: 1);
var colours = clean.shape[0] == 1 ? "grey" : "colour";
Console.WriteLine($"{Path.GetFileName(photoFile)}: {clean.shape[2]}x{clean.shape[1]}, {colours}; noise sigma {sigma} of 255 added.");

// ## Estimating the noise level
//
// Without the clean picture, how noisy is it? The finest diagonal detail of a wavelet transform (each 2x2 block's
// `(a − b − c + d) / 2`) is almost pure noise in a photograph, and its median absolute value divided by 0.6745 estimates σ
// (Donoho and Johnstone). The model does not need this figure; it is shown to the user, and `restore` warns when it falls
// outside the range the model was trained for.

var estimated = NoiseLevel.Estimate(noisy) * 255;
Console.WriteLine($"Estimated sigma: {estimated:F1} of 255 (true {sigma}; error {Math.Abs(estimated - sigma) / sigma:P1}).");

// ## Restoring it
//
// The shipped model (`data/models/photo-denoiser.bin`, 8 convolutions of 48 filters, 126,000 parameters) predicts the noise and
// subtracts it, one colour channel at a time, in overlapping tiles so that any size fits in memory without seams.
// The crops below are zoomed four times.

var denoiser = PhotoDenoiser.Load();
var restored = PhotoDenoiser.Restore(denoiser, noisy);
var figure = new PhotoFigure([($"noisy (σ {sigma})", noisy), ("restored", restored), ("original", clean)]);
display(figure);

// ## Against the classical filters
//
// The same noisy picture restored by Gaussian blur, a median filter, total-variation denoising and non-local means, each at the setting of
// its grid that scores best against the clean picture (an advantage the model does not get: it is told nothing).
// PSNR (dB) and SSIM, higher is better.

var model = new ModelRestorer("photo denoiser (blind)", denoiser);
var comparison = PhotoStudy.Run([(Path.GetFileName(photoFile), clean)], model, seed: 1, sigmas: [sigma]);
// Each classical filter at its best setting on this picture, and the model.
var bestOfEach = comparison.Scores
    .GroupBy(s => s.Kind == RestorerKind.Baseline ? s.Method.Split(' ')[0] : s.Method)
    .Select(g => g.MaxBy(s => s.Psnr)!);
foreach (var row in bestOfEach)
    Console.WriteLine($"{row.Method,-28} PSNR {row.Psnr,6:F2} dB   SSIM {row.Ssim:F4}");
var best = comparison.BestClassical(sigma);
var margin = comparison.Model(sigma).Psnr - best.Psnr;
Console.WriteLine($"The model is {SignedNumber.Format(margin, 2)} dB from the best classical filter ({best.Method}).");

// ## Try it yourself: your own photo
//
// Put the path of your own PNG or JPEG (8-bit grey or RGB) in `yourFile`. Without a clean original there is nothing to
// score against, so the cell shows the picture, its estimated noise and the restoration. The same from a terminal, for
// whole folders and pictures of any size: `image-restoration restore my-photos --out restored` (PNG out; it refuses to
// overwrite a file unless `--force`). Cost: a second or two for the 451x300 cat (1.6 s in the committed run, on 2 cores shared
// with a training); larger pictures take longer, in proportion to their pixels.

var yourFile = "";   // e.g. "/home/me/Pictures/night-shot.jpg"; empty: the noisy cat above
var yours = yourFile == "" ? noisy : PhotoFile.Read(yourFile);
Console.WriteLine($"Estimated noise sigma: {NoiseLevel.Estimate(yours) * 255:F1} of 255 (the model was trained for 5 to 55).");
display(new PhotoFigure([("your picture", yours), ("restored", PhotoDenoiser.Restore(denoiser, yours))]));

// ## How it was trained: a one-minute fine-tune
//
// The shipped model was trained by `image-restoration train-photos` (the command, the pictures with their SHA-256, the seed
// and the figures are in `data/models/photo-denoiser.json`): 40x40 patches cut from the nine training photographs, each batch
// with fresh noise of a level drawn between 5 and 55, through the kit's own trainer (the one notebooks 04 and 05 use), minimising
// each patch's squared error as a share of its noise's, so that light noise counts as much as heavy noise.
// Here the shipped weights train a little further, on a few hundred patches at a lower learning rate, and the test crop is scored before and after.

var train = PhotoSet.LoadGrey(photos, PhotoSet.Train);
var validation = PhotoSet.LoadGrey(photos, PhotoSet.Test);
var before = PhotoDenoiser.CheckCrop(denoiser, photos).Restored;
var settings = new PhotoTrainingSettings { Patches = 512, Epochs = 1, LearningRate = 1e-4, ValidationPatches = 64 };
var progress = new TrainingProgress(Console.Out, 2, 1, live: false);
var (_, fineTune) = PhotoTraining.Train(train, validation, settings, progress, start: denoiser);
var after = PhotoDenoiser.CheckCrop(denoiser, photos).Restored;
Console.WriteLine($"Test crop (camera.png, sigma 25): {before:F2} dB before, {after:F2} dB after one short epoch.");

// ## What we saw
//
// The figures of this run, on this picture and noise level: the noise estimate's error, and the model against the best classical
// filter. The presentation's first conclusion is about the perks of higher dimensionality: a photograph has far more structure
// around each pixel than a 28x28 digit, and a network with enough filters can learn to use it where a fixed filter cannot.
// The measured targets on all three test photographs at σ 15, 25 and 50, with speed and memory, are in [docs/results.md](../docs/results.md).

var error = Math.Abs(estimated - sigma) / sigma;
Console.WriteLine($"Noise estimate: {estimated:F1} for a true {sigma} ({error:P1} off).");
var modelScore = comparison.Model(sigma);
Console.WriteLine(margin > 0
    ? $"Blind, the model restores {Path.GetFileName(photoFile)} {margin:F2} dB better than the best classical filter " +
      $"at its best setting ({best.Method}), SSIM {modelScore.Ssim:F3} against {best.Ssim:F3}."
    : $"Here the best classical filter ({best.Method}) is {-margin:F2} dB ahead of the model: " +
      "this picture or noise level is outside what its training covered well.");

// ## Try it yourself: another noise level
//
// Edit the noise level and run the cell: the same picture with new noise, restored by the same blind model, nothing trained.
// Cost on any profile: a second or two (1.3 s in the committed run, on 2 cores shared with a training). Look at the PSNR gain and
// at the zoomed crops: inside the trained range (5 to 55) the model removes the noise without being told its level; at 70 or
// more, outside it, see how much grain it leaves. For a longer fine-tune, set `Epochs = 3` and `Patches = 2048` in the
// fine-tune cell above (a few minutes).

var trySigma = 50.0;   // of 255; the model was trained for 5 to 55: try 10, or 70 to step outside its range
var tryNoisy = PhotoStudy.Noisy(clean, trySigma, seed: 2);
var tryRestored = PhotoDenoiser.Restore(denoiser, tryNoisy);
var noisyPsnr = Psnr.Mean(tryNoisy.unsqueeze(0), clean.unsqueeze(0));
var restoredPsnr = Psnr.Mean(tryRestored.unsqueeze(0), clean.unsqueeze(0));
Console.WriteLine($"Sigma {trySigma}: estimated {NoiseLevel.Estimate(tryNoisy) * 255:F1}; PSNR {noisyPsnr:F2} dB noisy, {restoredPsnr:F2} dB restored.");
display(new PhotoFigure([($"noisy (σ {trySigma})", tryNoisy), ("restored", tryRestored), ("original", clean)]));

// Back to the start: [00 · Introduction](00-introduction.ipynb) · Previous: [07 · Restoration quality, measured](07-restoration-quality.ipynb) · How to run these notebooks: [README](README.md)
