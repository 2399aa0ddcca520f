using RenderFarm.Infrastructure.Hosting;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// The store's host accepting a TCP connection: the one check a worker can make with a presigned address and nothing
/// else. It does not prove an upload will succeed; a failing one closes the gate again, for longer.
/// </summary>
public sealed class TcpStoreProbe : IStoreProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public Task<bool> IsReachableAsync(Uri uploadAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploadAddress);
        return TcpPort.AcceptsAsync(uploadAddress.Host, uploadAddress.Port, Timeout, cancellationToken);
    }
}
