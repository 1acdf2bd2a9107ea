using System.Globalization;
using System.Text;
using ImageRestoration.Baselines;
using ImageRestoration.Degradations;
using ImageRestoration.Evaluation;
using ImageRestoration.Metrics;
using static TorchSharp.torch;

namespace ImageRestoration.Studies;

/// <summary>One method's mean PSNR and SSIM over the test photographs at one noise level (sigma of 255).</summary>
public sealed record PhotoScore(double Sigma, string Method, RestorerKind Kind, double Psnr, double Ssim);

/// <summary>The noise estimate on one photograph at one true noise level (both sigma of 255).</summary>
internal sealed record NoiseEstimate(string Picture, double Sigma, double Estimated)
{
    public double RelativeError => Math.Abs(Estimated - Sigma) / Sigma;
}

/// <summary>What <see cref="PhotoStudy.Run"/> measured: every method's scores and every noise estimate.</summary>
public sealed record PhotoStudyResult(IReadOnlyList<PhotoScore> Scores)
{
    /// <summary>The noise estimates, read by <see cref="ToMarkdown"/> only: internal, so the estimate's record stays off the public surface.</summary>
    internal IReadOnlyList<NoiseEstimate> Estimates { get; init; } = [];

    /// <summary>The best classical method at a noise level, by mean PSNR (each at its best setting: the grid is searched against the clean pictures).</summary>
    public PhotoScore BestClassical(double sigma) =>
        Scores.Where(s => s.Sigma == sigma && s.Kind == RestorerKind.Baseline).MaxBy(s => s.Psnr)!;

    public PhotoScore Model(double sigma) => Scores.Single(s => s.Sigma == sigma && s.Kind == RestorerKind.Model);

    internal NoiseEstimate WorstEstimate => Estimates.MaxBy(e => e.RelativeError)!;

    /// <summary>The targets table: per noise level the noisy input, the best classical method, the model and the margin.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| sigma | noisy PSNR | best classical (setting) | its PSNR / SSIM | model PSNR / SSIM | model − classical |");
        text.AppendLine("| ---: | ---: | --- | ---: | ---: | ---: |");
        foreach (var sigma in Scores.Select(s => s.Sigma).Distinct())
        {
            var (noisy, best, model) = (Scores.Single(s => s.Sigma == sigma && s.Kind == RestorerKind.Input), BestClassical(sigma), Model(sigma));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {sigma:0} | {noisy.Psnr:F2} | {best.Method} | {best.Psnr:F2} / {best.Ssim:F4} | {model.Psnr:F2} / {model.Ssim:F4} | {SignedNumber.Format(model.Psnr - best.Psnr, 2)} dB |"));
        }
        var worst = WorstEstimate;
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"\nNoise estimate, sigma {Estimates.Min(e => e.Sigma):0} to {Estimates.Max(e => e.Sigma):0}: worst {worst.RelativeError:P1} " +
            $"({worst.Picture} at sigma {worst.Sigma:0}: estimated {worst.Estimated:F1})."));
        return text.ToString();
    }
}

/// <summary>
/// The photo denoiser against the classical filters on the test photographs:
/// each picture gets Gaussian noise of sigma 15, 25 and 50 (of 255, clipped
/// into [0,1] as a saved photograph is; seeded), and every method restores
/// every channel of it. The classical filters are tried over a grid of
/// settings and each keeps its best per noise level (judged against the
/// clean pictures, which favours them); the model is told nothing (blind).
/// The noise estimator is scored on the same pictures at sigma 10 to 50.
/// </summary>
public static class PhotoStudy
{
    public static readonly double[] Sigmas = [15, 25, 50];
    public static readonly double[] EstimatorSigmas = [10, 20, 30, 40, 50];

    /// <summary>
    /// The classical grid: Gaussian blur, median, total variation and non-local means at light to strong
    /// settings (non-local means from 0.35 to 0.7 of its estimated sigma: on camera.png and chelsea.png at
    /// sigma 15 to 50, 0.9 and 1.2 were never its best).
    /// </summary>
    internal static IReadOnlyList<Restorer> ClassicalGrid() =>
    [
        .. new[] { 0.5, 0.75, 1.0, 1.5, 2.0 }.Select(s => new GaussianBlurFilter(s)),
        .. new[] { 3, 5 }.Select(s => new MedianFilter(s)),
        .. new[] { 0.02, 0.03, 0.045, 0.065, 0.09, 0.12, 0.16, 0.22 }.Select(w => new TotalVariationDenoiser(w)),
        .. new[] { 0.35, 0.5, 0.7 }.Select(h => new NonLocalMeansDenoiser(h)),
    ];

    /// <summary>Scores <paramref name="model"/> and the classical grid on the named C x H x W pictures in [0,1] (at <see cref="Sigmas"/> unless told).</summary>
    public static PhotoStudyResult Run(IReadOnlyList<(string Name, Tensor Picture)> pictures, Restorer model, long seed = 7, IReadOnlyList<double>? sigmas = null)
    {
        var restorers = new List<Restorer> { Restorer.None, model };
        restorers.AddRange(ClassicalGrid());
        var scores = new List<PhotoScore>();
        foreach (var sigma in sigmas ?? Sigmas)
        {
            var noisy = pictures.Select((p, i) => Noisy(p.Picture, sigma, seed + i)).ToList();
            foreach (var restorer in restorers)
                scores.Add(Score(restorer, sigma, pictures.Select(p => p.Picture).ToList(), noisy));
            foreach (var picture in noisy) picture.Dispose();
        }
        return new PhotoStudyResult(scores) { Estimates = Estimates(pictures, seed) };
    }

    /// <summary>A picture with clipped Gaussian noise of <paramref name="sigma"/> of 255, the same for the same seed.</summary>
    public static Tensor Noisy(Tensor picture, double sigma, long seed) => new GaussianNoise(sigma / 255).ApplyOnce(picture.unsqueeze(0), seed)[0];

    private static PhotoScore Score(Restorer restorer, double sigma, IReadOnlyList<Tensor> clean, IReadOnlyList<Tensor> noisy)
    {
        var (psnr, ssim) = (0.0, 0.0);
        for (var i = 0; i < clean.Count; i++)
        {
            using var scope = NewDisposeScope();
            // Channels as a batch of grey pictures: every method restores colour channel by channel.
            var restored = restorer.Restore(noisy[i].unsqueeze(1)).transpose(0, 1);
            var reference = clean[i].unsqueeze(0);
            psnr += Psnr.Mean(restored, reference);
            ssim += Ssim.Mean(restored, reference);
        }
        return new PhotoScore(sigma, restorer.Name, restorer.Kind, psnr / clean.Count, ssim / clean.Count);
    }

    private static List<NoiseEstimate> Estimates(IReadOnlyList<(string Name, Tensor Picture)> pictures, long seed)
    {
        var estimates = new List<NoiseEstimate>();
        foreach (var sigma in EstimatorSigmas)
            for (var i = 0; i < pictures.Count; i++)
            {
                using var noisy = Noisy(pictures[i].Picture, sigma, seed + 100 + i);
                estimates.Add(new NoiseEstimate(pictures[i].Name, sigma, NoiseLevel.Estimate(noisy) * 255));
            }
        return estimates;
    }
}
