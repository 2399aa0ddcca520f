using System.Diagnostics;
using OpenTelemetry;

namespace RenderFarm.Infrastructure.Telemetry;

/// <summary>
/// Drops database spans that belong to no other span: the dispatcher's, reapers' and Quartz's polls, every second,
/// would otherwise each be a trace of their own and bury the submissions'. Runs before the exporters, which skip spans
/// not marked recorded.
/// </summary>
public sealed class UnparentedCommandFilter : BaseProcessor<Activity>
{
    public const string NpgsqlSource = "Npgsql";

    public override void OnEnd(Activity data)
    {
        if (data.Source.Name == NpgsqlSource && data.Parent is null && data.ParentSpanId == default)
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
