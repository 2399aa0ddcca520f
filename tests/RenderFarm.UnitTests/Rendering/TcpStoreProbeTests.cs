using System.Net;
using System.Net.Sockets;
using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class TcpStoreProbeTests
{
    [Fact]
    public async Task A_listening_store_is_reachable_and_a_closed_port_is_not()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var probe = new TcpStoreProbe();
        var address = new Uri($"http://127.0.0.1:{port}/bucket/jobs/x/000000.png?X-Amz-Signature=abc");

        Assert.True(await probe.IsReachableAsync(address, CancellationToken.None));

        listener.Stop();
        Assert.False(await probe.IsReachableAsync(address, CancellationToken.None));
    }
}
