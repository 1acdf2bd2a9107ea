using System.Net;
using System.Net.Sockets;

namespace ImageRestoration.Tests;

/// <summary>How a <see cref="LocalMirror"/> answers a request for one file.</summary>
public enum MirrorBehaviour
{
    Serve,
    NotFound,
    Corrupt,
    Truncate,
}

/// <summary>An HTTP server on 127.0.0.1 that serves files the way a good or bad mirror would.</summary>
public sealed class LocalMirror : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly IReadOnlyDictionary<string, byte[]> files;
    private readonly Task loop;

    public LocalMirror(IReadOnlyDictionary<string, byte[]> files, MirrorBehaviour behaviour)
    {
        this.files = files;
        Behaviour = behaviour;
        var port = FreePort();
        Url = new Uri($"http://127.0.0.1:{port}/mnist/");
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        loop = Task.Run(Serve);
    }

    public Uri Url { get; }
    public MirrorBehaviour Behaviour { get; }
    public int Requests { get; private set; }

    /// <summary>A URL on a port nobody listens on: a mirror that cannot be reached.</summary>
    public static Uri Unreachable() => new($"http://127.0.0.1:{FreePort()}/mnist/");

    private async Task Serve()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (!listener.IsListening)
            {
                return;
            }
            Requests++;
            var response = context.Response;
            var name = context.Request.Url!.Segments[^1];
            if (Behaviour == MirrorBehaviour.NotFound || !files.TryGetValue(name, out var body))
            {
                response.StatusCode = 404;
                response.Close();
                continue;
            }
            switch (Behaviour)
            {
                case MirrorBehaviour.Corrupt:
                    body = body.ToArray();
                    body[body.Length / 2] ^= 0xFF;
                    break;
                case MirrorBehaviour.Truncate:
                    // Promise the whole file, send half, then drop the connection.
                    response.ContentLength64 = body.Length;
                    await response.OutputStream.WriteAsync(body.AsMemory(0, body.Length / 2));
                    await response.OutputStream.FlushAsync();
                    response.Abort();
                    continue;
            }
            response.ContentLength64 = body.Length;
            await response.OutputStream.WriteAsync(body);
            response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}
