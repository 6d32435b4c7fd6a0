using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.WebUtilities;

namespace Preau.IntegrationTests.Features.Apps.Oidc;

/// <summary>A relying party's back-channel logout endpoint on loopback: records each logout_token it is sent.</summary>
internal sealed class LogoutReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<string> _tokens = Channel.CreateUnbounded<string>();

    public LogoutReceiver()
    {
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Uri = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/backchannel-logout");
            probe.Stop();
        }
        _listener.Prefixes.Add(Uri.GetLeftPart(UriPartial.Authority) + "/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public Uri Uri { get; }

    public async Task<string?> NextAsync(TimeSpan deadline)
    {
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            return await _tokens.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream);
            var form = QueryHelpers.ParseQuery(await reader.ReadToEndAsync());
            if (form.TryGetValue("logout_token", out var token))
            {
                _tokens.Writer.TryWrite(token.ToString());
            }
            context.Response.StatusCode = 200;
            context.Response.Close();
        }
    }

    public void Dispose() => _listener.Close();
}
