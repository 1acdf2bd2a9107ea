using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImageRestoration.NotebookRunner;

/// <summary>One picture of a page as headless Chromium laid it out and decoded it.</summary>
/// <param name="Spread">Standard deviation of the picture's grey levels (0 to 255) as decoded: 0 for a blank picture.</param>
public sealed record FigureCheck(int Index, string Alt, double X, double Y, double Width, double Height, int NaturalWidth, int NaturalHeight,
    bool Visible, double Spread, string? Error)
{
    /// <summary>Shown with a size, decoded, and not one flat colour.</summary>
    public bool NonBlank => Visible && Width > 0 && Height > 0 && NaturalWidth > 0 && NaturalHeight > 0 && Spread >= PageCheck.MinimumSpread && Error is null;
}

/// <summary>What a page showed: its pictures, the requests it made outside its own file, and its height in pixels.</summary>
public sealed record PageCheckResult(IReadOnlyList<FigureCheck> Figures, IReadOnlyList<string> ExternalRequests, int Height);

/// <summary>
/// Opens a page in headless Chromium with the network off (every host name
/// resolves to nothing) and reports each picture of its outputs: where it is
/// laid out, whether it decoded, and how much its pixels vary. A small script,
/// added to a copy of the page, measures after the page has loaded and writes
/// the figures into the DOM that Chromium prints.
/// </summary>
public static partial class PageCheck
{
    /// <summary>Pictures whose grey levels vary less than this are blank (a chart or grid varies by 30 or more).</summary>
    public const double MinimumSpread = 8;

    /// <summary>Chromium switches for an offline, reproducible, root-friendly run.</summary>
    public static readonly string[] OfflineSwitches =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1", "--no-first-run",
        "--host-resolver-rules=MAP * ~NOTFOUND", "--no-proxy-server", "--disable-background-networking", "--disable-extensions",
    ];

    private const string Probe =
        """
        <script>
        window.addEventListener('load', function () {
          var figures = [];
          Array.prototype.slice.call(document.images).forEach(function (img, index) {
            var box = img.getBoundingClientRect(), style = getComputedStyle(img), spread = 0, error = null;
            try {
              var canvas = document.createElement('canvas');
              canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
              var context = canvas.getContext('2d');
              context.drawImage(img, 0, 0);
              var data = context.getImageData(0, 0, canvas.width, canvas.height).data, sum = 0, squares = 0, n = 0;
              for (var i = 0; i < data.length; i += 16) { var g = (data[i] + data[i + 1] + data[i + 2]) / 3; sum += g; squares += g * g; n++; }
              spread = n > 0 ? Math.sqrt(Math.max(0, squares / n - (sum / n) * (sum / n))) : 0;
            } catch (e) { error = String(e); }
            figures.push({ index: index, alt: img.alt || '', x: box.left + scrollX, y: box.top + scrollY, width: box.width, height: box.height,
              naturalWidth: img.naturalWidth, naturalHeight: img.naturalHeight,
              visible: style.display !== 'none' && style.visibility !== 'hidden' && img.complete, spread: spread, error: error });
          });
          var external = performance.getEntriesByType('resource').map(function (r) { return r.name; }).filter(function (n) { return !/^(data|file|blob):/.test(n); });
          var result = document.createElement('pre');
          result.id = 'image-restoration-figures';
          result.textContent = JSON.stringify({ figures: figures, external: external, height: Math.ceil(document.documentElement.scrollHeight) });
          document.body.appendChild(result);
        });
        </script>
        """;

    /// <summary>Chromium from Debian's package (or CHROMIUM), or null when there is none.</summary>
    public static string? FindChromium() =>
        new[] { Environment.GetEnvironmentVariable("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>Opens <paramref name="page"/> offline at <paramref name="width"/> pixels and reports its figures.</summary>
    public static PageCheckResult Run(string page, string chromium, int width = 1280)
    {
        var probe = ProbeCopy(page);
        try
        {
            var dom = Chromium(chromium, [$"--window-size={width},1000", "--virtual-time-budget=15000", "--dump-dom", new Uri(probe).AbsoluteUri]);
            var match = ResultPattern().Match(dom);
            if (!match.Success) throw new InvalidOperationException($"Chromium printed no figures for {page}: {dom[..Math.Min(dom.Length, 300)]}");
            using var json = JsonDocument.Parse(WebUtility.HtmlDecode(match.Groups[1].Value));
            var root = json.RootElement;
            var figures = root.GetProperty("figures").EnumerateArray().Select(f => new FigureCheck(
                f.GetProperty("index").GetInt32(), f.GetProperty("alt").GetString() ?? "",
                f.GetProperty("x").GetDouble(), f.GetProperty("y").GetDouble(), f.GetProperty("width").GetDouble(), f.GetProperty("height").GetDouble(),
                f.GetProperty("naturalWidth").GetInt32(), f.GetProperty("naturalHeight").GetInt32(), f.GetProperty("visible").GetBoolean(),
                f.GetProperty("spread").GetDouble(), f.GetProperty("error").ValueKind == JsonValueKind.Null ? null : f.GetProperty("error").GetString())).ToList();
            var external = root.GetProperty("external").EnumerateArray().Select(e => e.GetString() ?? "").ToList();
            return new PageCheckResult(figures, external, root.GetProperty("height").GetInt32());
        }
        finally
        {
            File.Delete(probe);
        }
    }

    /// <summary>Takes a screenshot of the whole page (<paramref name="height"/> pixels tall, as <see cref="Run"/> measured it) into <paramref name="png"/>.</summary>
    public static void Screenshot(string page, string chromium, string png, int height, int width = 1280) =>
        Chromium(chromium, [$"--window-size={width},{Math.Max(height, 100)}", "--virtual-time-budget=15000", $"--screenshot={Path.GetFullPath(png)}",
            new Uri(Path.GetFullPath(page)).AbsoluteUri]);

    /// <summary>A copy of the page beside it, with the probe before &lt;/body&gt;.</summary>
    private static string ProbeCopy(string page)
    {
        var full = Path.GetFullPath(page);
        var html = File.ReadAllText(full);
        var end = html.LastIndexOf("</body>", StringComparison.OrdinalIgnoreCase);
        var probe = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileNameWithoutExtension(full)}.probe-{Environment.ProcessId}.html");
        File.WriteAllText(probe, end < 0 ? html + Probe : html[..end] + Probe + html[end..]);
        return probe;
    }

    private static string Chromium(string chromium, IEnumerable<string> arguments)
    {
        var profile = Path.Combine(Path.GetTempPath(), "image-restoration-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in OfflineSwitches.Append($"--user-data-dir={profile}").Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{chromium} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            if (!process.WaitForExit(120_000))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{chromium} did not finish within 120 s.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{chromium} exited with {process.ExitCode.ToString(CultureInfo.InvariantCulture)}: {error.Result}");
            return output.Result;
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [GeneratedRegex("<pre id=\"image-restoration-figures\">(.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ResultPattern();
}
