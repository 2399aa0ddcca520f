namespace RenderFarm.Infrastructure.Messaging;

/// <summary>One queue per model, so a worker only receives work for the models it has loaded.</summary>
public static class RenderQueues
{
    public static string NameFor(string model) => $"render-{model}";

    public static Uri AddressFor(string model) => new($"queue:{NameFor(model)}");
}
