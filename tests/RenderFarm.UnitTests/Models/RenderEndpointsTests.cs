using RenderFarm.UnitTests.Messaging;
using RenderFarm.Worker.Models;

namespace RenderFarm.UnitTests.Models;

public sealed class RenderEndpointsTests
{
    private static readonly Uri ModelQueue = new("rabbitmq://localhost/render-sd-turbo");
    private static readonly Uri OwnQueue = new("rabbitmq://localhost/render-worker-w1");

    [Fact]
    public async Task Connected_until_a_queue_loses_the_broker_and_again_once_every_one_is_ready()
    {
        var endpoints = new RenderEndpoints();
        var (model, _) = RecordingEndpoint.Create();
        var (own, _) = RecordingEndpoint.Create();
        await endpoints.Ready(new EndpointEvent(ModelQueue, model));
        await endpoints.Ready(new EndpointEvent(OwnQueue, own));
        Assert.True(endpoints.Connected);

        await endpoints.Faulted(new EndpointEvent(ModelQueue, model));
        await endpoints.Faulted(new EndpointEvent(OwnQueue, own));
        Assert.False(endpoints.Connected);

        await endpoints.Ready(new EndpointEvent(OwnQueue, own));
        Assert.False(endpoints.Connected);

        await endpoints.Ready(new EndpointEvent(ModelQueue, model));
        Assert.True(endpoints.Connected);
    }
}
