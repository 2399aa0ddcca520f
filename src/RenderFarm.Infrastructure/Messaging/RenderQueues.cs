using System.Text.RegularExpressions;

namespace RenderFarm.Infrastructure.Messaging;

/// <summary>
/// One queue per model, so a worker only receives work for the models it has; and one per worker, for jobs that only
/// some workers of a model may render (they require labels), which the dispatcher addresses to those workers.
/// </summary>
public static partial class RenderQueues
{
    public static string NameFor(string model) => $"render-{model}";

    public static Uri AddressFor(string model) => new($"queue:{NameFor(model)}");

    /// <summary>The worker's own queue; its id is reduced to the characters a queue name may hold.</summary>
    public static string NameForWorker(string workerId) =>
        $"render-worker-{Unsafe().Replace(workerId.ToLowerInvariant(), "-")}";

    public static Uri AddressForWorker(string workerId) => new($"queue:{NameForWorker(workerId)}");

    [GeneratedRegex("[^a-z0-9._-]")]
    private static partial Regex Unsafe();
}
