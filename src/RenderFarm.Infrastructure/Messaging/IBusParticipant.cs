using MassTransit;

namespace RenderFarm.Infrastructure.Messaging;

/// <summary>
/// A role's share of the one bus a process has: the coordinator and the worker each bring their consumers,
/// and the embedded mode brings both to the same in-memory bus.
/// </summary>
public interface IBusParticipant
{
    void AddConsumers(IBusRegistrationConfigurator bus);

    /// <summary>Endpoints the role binds by hand (the rest get MassTransit's conventional endpoints).</summary>
    void ConfigureEndpoints(IBusRegistrationContext context, IBusFactoryConfigurator bus);
}
