using System.Net.Sockets;

namespace RenderFarm.Worker.Rendering;

/// <summary>
/// The store's host accepting a TCP connection: the one check a worker can make with a presigned address and nothing
/// else. It does not prove an upload will succeed; a failing one closes the gate again, for longer.
/// </summary>
public sealed class TcpStoreProbe : IStoreProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    public async Task<bool> IsReachableAsync(Uri uploadAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(uploadAddress);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(uploadAddress.Host, uploadAddress.Port, deadline.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
