using System.Runtime.InteropServices;
using Preau.Surge.Cli;

namespace Preau.Surge;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // First Ctrl+C ends the run cleanly and still writes the report.
            e.Cancel = true;
            cancel.Cancel();
        };

        // `kill <pid>` ends an emulator or a run the same clean way as Ctrl+C.
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });

        try
        {
            return await Commands.RunAsync(args, Console.Out, cancel.Token);
        }
        catch (SurgeInputException e)
        {
            await Console.Error.WriteLineAsync("surge : " + e.Message);
            return 2;
        }
    }
}
