using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Preau.IntegrationTests.Infrastructure;

/// <summary>A redis-server of one test's own, on a free loopback port, that the test may stop and
/// start again on the same port (the shared test Redis must never be stopped).</summary>
public sealed class PrivateRedis : IDisposable
{
    private readonly int _port;
    private readonly string _directory = Directory.CreateTempSubdirectory("preau-redis-").FullName;
    private Process? _server;

    private PrivateRedis()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        _port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public string ConnectionString => $"127.0.0.1:{_port},connectTimeout=500";

    public static PrivateRedis Start()
    {
        var redis = new PrivateRedis();
        redis.Restart();
        return redis;
    }

    /// <summary>Starts the server (empty, no persistence) and waits until it accepts connections.</summary>
    public void Restart()
    {
        _server = Process.Start(new ProcessStartInfo("redis-server",
            ["--bind", "127.0.0.1", "--port", _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "--save", "", "--appendonly", "no", "--dir", _directory])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("redis-server did not start");
        _server.BeginOutputReadLine();
        var until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException)
            {
                Thread.Sleep(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on {_port}");
    }

    /// <summary>Kills the server at once, as a crash would.</summary>
    public void Stop()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill();
            _server.WaitForExit();
        }

        _server?.Dispose();
        _server = null;
    }

    public void Dispose()
    {
        Stop();
        Directory.Delete(_directory, recursive: true);
    }
}
