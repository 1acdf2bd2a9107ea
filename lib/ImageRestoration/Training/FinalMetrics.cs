using System.Text.Json;

namespace ImageRestoration.Training;

/// <summary>
/// The figures a finished run reports, as written to its run folder's
/// metrics.json: the last epoch's losses, and PSNR (dB) and SSIM averaged per
/// image over the validation inputs (the test images, degraded as in training).
/// </summary>
internal sealed record FinalMetrics(
    string Model,
    long Parameters,
    int Epochs,
    int TrainImages,
    int ValidationImages,
    double TrainLoss,
    double ValidationLoss,
    double ValidationMse,
    double ValidationPsnr,
    double ValidationSsim,
    double MeanEpochSeconds)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public static FinalMetrics FromJson(string json) =>
        JsonSerializer.Deserialize<FinalMetrics>(json, JsonOptions) ?? throw new InvalidDataException("metrics JSON is null");
}
