namespace RenderFarm.Infrastructure.Messaging;

public enum BusTransport
{
    RabbitMq,
    InMemory,
}
