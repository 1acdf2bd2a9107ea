namespace ImageRestoration.Data;

/// <summary>
/// Downloads the four MNIST files from public mirrors, verifying each against
/// its published checksum. A file is written to a temporary name and renamed
/// only once verified, so the cache never holds a partial or corrupt file.
/// </summary>
internal sealed class MnistDownloader
{
    /// <summary>Two mirrors that serve the original files (the old LeCun address answers 403).</summary>
    public static readonly IReadOnlyList<Uri> PublicMirrors =
    [
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
    ];

    private readonly IReadOnlyList<Uri> mirrors;
    private readonly HttpClient http;
    private readonly IReadOnlyDictionary<string, string> gzipSha256;
    private readonly IReadOnlyDictionary<string, string> contentSha256;

    public MnistDownloader(IReadOnlyList<Uri>? mirrors = null, HttpClient? http = null,
        IReadOnlyDictionary<string, string>? gzipSha256 = null, IReadOnlyDictionary<string, string>? contentSha256 = null)
    {
        this.mirrors = mirrors ?? PublicMirrors;
        this.http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
        this.gzipSha256 = gzipSha256 ?? MnistFiles.PublishedGzipSha256;
        this.contentSha256 = contentSha256 ?? MnistFiles.ContentSha256;
    }

    /// <summary>Downloads every standard file that <paramref name="directory"/> lacks.</summary>
    public void DownloadMissing(string directory, TextWriter? log = null)
    {
        Directory.CreateDirectory(directory);
        foreach (var name in MnistFiles.All.Where(name => MnistFiles.Find(directory, name) is null))
            Download(name, directory, log);
    }

    /// <summary>Fetches <c>name.gz</c> from the first mirror that serves a verified copy; returns its path.</summary>
    public string Download(string name, string directory, TextWriter? log = null)
    {
        var target = Path.Combine(directory, name + ".gz");
        var failures = new List<string>();
        foreach (var mirror in mirrors)
        {
            var url = new Uri(mirror, name + ".gz");
            var temporary = Path.Combine(directory, $".{name}.gz.{Guid.NewGuid():N}.part");
            try
            {
                log?.WriteLine($"Downloading {url}");
                using (var response = http.Send(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead))
                {
                    response.EnsureSuccessStatusCode();
                    using var body = response.Content.ReadAsStream();
                    using var file = File.Create(temporary);
                    body.CopyTo(file);
                }
                if (!MnistFiles.IsGenuine(name, temporary, gzipSha256, contentSha256))
                    throw new InvalidDataException("checksum mismatch: the file is not the published MNIST file");
                File.Move(temporary, target, overwrite: true);
                return target;
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or TaskCanceledException)
            {
                failures.Add($"{url}: {e.Message}");
            }
            finally
            {
                File.Delete(temporary);
            }
        }
        throw new MnistDownloadException(name, failures);
    }
}

/// <summary>No mirror served a verified copy of a file.</summary>
internal sealed class MnistDownloadException(string name, IReadOnlyList<string> failures)
    : IOException($"Could not download {name}.gz from any mirror:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", failures))
{
    public IReadOnlyList<string> Failures { get; } = failures;
}
