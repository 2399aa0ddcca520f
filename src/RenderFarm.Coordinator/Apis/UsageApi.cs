using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using RenderFarm.Coordinator.Usage;

namespace RenderFarm.Coordinator.Apis;

public static class UsageApi
{
    public static IEndpointRouteBuilder MapUsageApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/usage", GetAsync).WithTags("Usage");
        return app;
    }

    /// <summary>
    /// Images, GPU-seconds and cost between <paramref name="from"/> (default: the start of this UTC month) and
    /// <paramref name="to"/> (default: now), grouped by studio, model or day; CSV with <c>format=csv</c>.
    /// </summary>
    private static async Task<Results<Ok<UsageReport>, FileContentHttpResult, ValidationProblem>> GetAsync(
        string? from, string? to, string? groupBy, string? format, UsageQueries usage, TimeProvider clock, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var now = clock.GetUtcNow();
        var start = Instant(from, "from", new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), errors);
        var end = Instant(to, "to", now.AddSeconds(1), errors);
        var grouping = string.IsNullOrEmpty(groupBy) ? "studio" : groupBy;
        if (!UsageQueries.Groupings.Contains(grouping))
        {
            errors["groupBy"] = ["groupBy must be one of: " + string.Join(", ", UsageQueries.Groupings) + "."];
        }

        if (format is not (null or "" or "json" or "csv"))
        {
            errors["format"] = ["format must be json or csv."];
        }

        if (errors.Count == 0 && end <= start)
        {
            errors["to"] = ["to must be after from."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var report = await usage.GetAsync(start, end, grouping, cancellationToken);
        if (format != "csv")
        {
            return TypedResults.Ok(report);
        }

        var csv = new StringBuilder($"{grouping},images,gpu_seconds,cost_{report.Currency.ToLowerInvariant()}\n");
        foreach (var row in report.Rows.Append(report.Total))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{Field(row.Key)},{row.Images},{row.GpuSeconds:0.###},{row.Cost:0.######}\n");
        }

        return TypedResults.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv", $"renderfarm-usage-{grouping}.csv");
    }

    private static DateTimeOffset Instant(string? value, string field, DateTimeOffset fallback, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed;
        }

        errors[field] = [$"{field} must be a date or an ISO 8601 instant, such as 2026-12-01 or 2026-12-01T09:00:00Z."];
        return fallback;
    }

    /// <summary>Studio and model names are plain, but a CSV field is quoted whenever it could be misread (or run as a formula).</summary>
    private static string Field(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 || value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('-') || value.StartsWith('@')
            ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : value;
}
