using System.Net.Sockets;

namespace RenderFarm.Infrastructure.Hosting;

/// <summary>Whether a host accepts a TCP connection on a port: the cheap sign that a server is back after an outage.</summary>
public static class TcpPort
{
    /// <returns>False when refused, unreachable or not answered within <paramref name="timeout"/>.</returns>
    public static async Task<bool> AcceptsAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, deadline.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
