using System.Globalization;
using ShellProgressBar;

namespace Preau.Web.Features.Seed;

/// <summary>Progress of one step of the seed (hashing, writing…). Safe to advance from several threads.</summary>
internal interface ISeedStep : IDisposable
{
    void Advance(int count);
}

/// <summary>
/// A ShellProgressBar on a terminal; with redirected output (CI, a log file, a test) a plain line
/// every 10 %, since a bar redraws with control characters that turn a log into noise.
/// </summary>
internal sealed class SeedProgress(TextWriter output, bool interactive)
{
    public ISeedStep Step(string label, int total)
    {
        // A pseudo-terminal without a size (some CI runners, `script`) reports 0 columns, where
        // ShellProgressBar cannot draw: plain lines there too.
        if (interactive && ConsoleWidth() >= 40)
        {
            try
            {
                return new BarStep(label, total, new PlainStep(output, label, total));
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
            {
                // no drawable console after all
            }
        }

        return new PlainStep(output, label, total);
    }

    private static int ConsoleWidth()
    {
        try
        {
            return Console.WindowWidth;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static SeedProgress Silent { get; } = new(TextWriter.Null, interactive: false);

    /// <summary>Falls back to plain lines if the terminal stops accepting the bar (resized to nothing…).</summary>
    private sealed class BarStep(string label, int total, PlainStep fallback) : ISeedStep
    {
        private readonly ProgressBar _bar = new(Math.Max(1, total), label, new ProgressBarOptions
        {
            ProgressCharacter = '─',
            CollapseWhenFinished = false,
            DisplayTimeInRealTime = false,
        });
        private readonly Lock _lock = new();
        private int _done;
        private long _lastDraw;
        private bool _broken;

        public void Advance(int count)
        {
            if (_broken)
            {
                fallback.Advance(count);
                return;
            }

            lock (_lock)
            {
                _done += count;
                // Redrawing on every row would cost more than inserting it.
                var now = Environment.TickCount64;
                if (_done < total && now - _lastDraw < 100)
                {
                    return;
                }

                _lastDraw = now;
                try
                {
                    _bar.Tick(_done, string.Create(French, $"{label} : {_done:N0}/{total:N0}"));
                }
                catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
                {
                    _broken = true;
                    fallback.Advance(_done);
                }
            }
        }

        public void Dispose()
        {
            try
            {
                _bar.Dispose();
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
            {
                // the bar could not be redrawn a last time: nothing to clean
            }
        }
    }

    private sealed class PlainStep(TextWriter output, string label, int total) : ISeedStep
    {
        private readonly Lock _lock = new();
        private int _done;
        private int _lastTenth = -1;

        public void Advance(int count)
        {
            lock (_lock)
            {
                _done += count;
                var tenth = total == 0 ? 10 : (int)(_done * 10L / total);
                if (tenth > _lastTenth)
                {
                    _lastTenth = tenth;
                    output.WriteLine(string.Create(French, $"  {label} : {_done:N0}/{total:N0} ({tenth * 10} %)"));
                }
            }
        }

        public void Dispose()
        {
        }
    }
}
