using Microsoft.Extensions.Options;

namespace RenderFarm.Worker.Rendering;

/// <summary>Admits a bounded number of batches into the engine, so encoding and uploads never hold the GPU.</summary>
public sealed class GpuSlots(IOptions<WorkerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.GpuSlots, options.Value.GpuSlots);

    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Lease(_slots);
    }

    public void Dispose() => _slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
