using System.Globalization;
using Preau.Surge.Measurement;

namespace Preau.Surge.Running;

internal interface IProgressSink
{
    void Report(string label, RunRecorder recorder, int plannedUsers);

    void Finished(string label, RunRecorder recorder, int plannedUsers);
}

/// <summary>Nothing on screen: tests and nested runs.</summary>
internal sealed class SilentProgress : IProgressSink
{
    public void Report(string label, RunRecorder recorder, int plannedUsers)
    {
    }

    public void Finished(string label, RunRecorder recorder, int plannedUsers)
    {
    }
}

/// <summary>
/// One status line rewritten in place on a terminal; without a terminal (CI logs, a pipe) one
/// plain line every ten seconds, so logs stay readable.
/// </summary>
internal sealed class ConsoleProgress : IProgressSink
{
    private readonly bool _interactive = !Console.IsOutputRedirected;
    private int _ticks;

    public void Report(string label, RunRecorder recorder, int plannedUsers)
    {
        var line = Line(label, recorder, plannedUsers);
        if (_interactive)
        {
            int width;
            try
            {
                width = Math.Max(Console.WindowWidth - 1, 40);
            }
            catch (IOException)
            {
                width = 160;
            }

            Console.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
        }
        else if (++_ticks % 10 == 0)
        {
            Console.WriteLine(line);
        }
    }

    public void Finished(string label, RunRecorder recorder, int plannedUsers)
    {
        if (_interactive)
        {
            Console.WriteLine();
        }

        Console.WriteLine(Line(label, recorder, plannedUsers) + " — terminé");
    }

    private static string Line(string label, RunRecorder r, int planned)
    {
        var errors = Enum.GetValues<ErrorKind>().Sum(k => r.ErrorsOfKind(k));
        return string.Create(CultureInfo.InvariantCulture,
            $"[{label}] {r.Now:mm\\:ss} arrivés {r.Started}/{planned} · actifs {r.Active} · en file {r.Queued} · finis {r.Completed} · abandons {r.Abandoned} · échecs {r.Failed} · erreurs {errors} · p99 admis {r.Admitted.PercentileMs(99):0} ms · requêtes {r.Requests}");
    }
}
