using System.Runtime.InteropServices;

namespace Preau.Web.Features.Accounts;

/// <summary>
/// Lowers the operating-system priority of the calling thread. .NET ignores <see cref="Thread.Priority"/> on
/// Linux, so the hashing threads ask the kernel themselves (<c>setpriority</c> on their own thread id): at nice 10
/// a hashing thread weighs about a tenth of a page's thread, so a page that needs the core gets it at once and
/// hashing takes every cycle pages leave. That is what lets the lane run one hash per core without slowing pages.
/// </summary>
internal static class ThreadNiceness
{
    private const int PriorityProcess = 0; // PRIO_PROCESS: with a thread id, applies to that thread only on Linux

    /// <summary>Sets the calling thread's nice value (0 = unchanged, 1…19 = lower); false where it is not possible.</summary>
    public static bool TryLowerCurrentThread(int niceness)
    {
        if (niceness <= 0)
        {
            return false;
        }

        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = ThreadPriority.BelowNormal;
            return true;
        }

        try
        {
            return SetPriority(PriorityProcess, GetThreadId(), Math.Min(niceness, 19)) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's nice value on Linux (for tests and diagnostics); null elsewhere.</summary>
    public static int? OfCurrentThread()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Marshal.SetLastPInvokeError(0);
        var value = GetPriority(PriorityProcess, GetThreadId());
        return value == -1 && Marshal.GetLastPInvokeError() != 0 ? null : value;
    }

    // DllImport rather than LibraryImport: these signatures are blittable and need no generated (unsafe) stubs.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);
#pragma warning restore SYSLIB1054
}
