using System.Diagnostics;

namespace RenderFarm.Core.Telemetry;

/// <summary>
/// The farm's own spans (ActivitySource <c>RenderFarm</c>): a dispatch round and each job's send in it on the
/// coordinator, a batch's engine call and each upload on a worker. MassTransit carries the context of the span that
/// sends a message to the span that consumes it, so these join the HTTP submission's trace.
/// </summary>
public static class FarmTracing
{
    public const string SourceName = "RenderFarm";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C <c>traceparent</c> of the current span, to keep with work that a background loop takes up later; null when nothing is traced.</summary>
    public static string? CurrentTraceParent() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current.Id : null;

    /// <summary>A stored <c>traceparent</c> as a parent for a later span; default (a new trace) when there is none or it does not parse.</summary>
    public static ActivityContext ParseTraceParent(string? traceParent) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var context) ? context : default;
}
