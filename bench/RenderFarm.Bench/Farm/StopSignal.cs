using System.Runtime.InteropServices;

namespace RenderFarm.Bench.Farm;

/// <summary>
/// Ctrl+C or SIGTERM cancels <see cref="Token"/> instead of ending the process, so a command unwinds through every
/// dispose, which stops the processes (and servers) it started.
/// </summary>
public sealed class StopSignal : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    /// <param name="announce">Written to standard error when a signal arrives; nothing when null.</param>
    public StopSignal(string? announce = null)
    {
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (announce is not null)
            {
                Console.Error.WriteLine(announce);
            }

            _cancel.Cancel();
        }

        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _cancel.Token;

    public bool IsStopping => _cancel.IsCancellationRequested;

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancel.Dispose();
    }
}
