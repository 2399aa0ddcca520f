using System.Diagnostics;
using OpenTelemetry.Trace;
using RenderFarm.Core.Jobs;
using RenderFarm.Core.Telemetry;
using RenderFarm.IntegrationTests.Engines;
using RenderFarm.IntegrationTests.Farm;

namespace RenderFarm.IntegrationTests;

/// <summary>One trace per image, from the HTTP submission to the coordinator recording it, across a real broker.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task One_trace_follows_an_image_from_submission_through_dispatch_worker_and_upload_to_its_recording()
    {
        var model = TestFarm.NewModelName();
        var spans = new List<Activity>();

        // The coordinator's own tracer provider with an in-memory exporter beside its configuration; the worker host
        // runs in this process, so the provider sees its spans too (ActivitySources are process-wide).
        await using var farm = await TestFarm.StartAsync(
            model,
            coordinators: 1,
            [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(20))],
            coordinatorServices: services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));

        var accepted = await farm.SubmitAsync(new JobRequest { Prompts = ["a traced lighthouse"], Count = 1 });
        await farm.WaitForJobAsync(accepted.Id, j => j.Status == "completed", TimeSpan.FromMinutes(1));

        // The job is finished inside the recording's consume span, which ends (and is exported) just after.
        List<Activity> trace = [];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!deadline.IsCancellationRequested)
        {
            trace = TraceOf(spans, accepted.Id);
            if (trace.Any(IsBatchRenderedConsume))
            {
                break;
            }

            await Task.Delay(100, CancellationToken.None);
        }

        var names = string.Join(", ", trace.Select(s => $"{s.Source.Name}:{s.Kind}:{s.DisplayName}"));
        Assert.True(trace.Count > 0, "no dispatch span for the job");
        Assert.True(trace.Any(s => s.Kind == ActivityKind.Server && (s.GetTagItem("http.route") as string)?.TrimEnd('/') == "/api/jobs" && s.GetTagItem("http.request.method") as string == "POST"), $"no submission request: {names}");
        Assert.True(trace.Any(s => s.Source.Name == "Npgsql"), names);
        Assert.True(trace.Any(s => s.Source.Name == FarmTracing.SourceName && s.DisplayName == "dispatch job"), names);
        Assert.True(trace.Any(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Producer && s.DisplayName.Contains("render", StringComparison.Ordinal)), $"no send to a render queue: {names}");
        Assert.True(trace.Any(s => s.Source.Name == "MassTransit" && s.Kind == ActivityKind.Consumer && Tags(s).Contains("RenderImage", StringComparison.Ordinal)), $"no worker consume of RenderImage: {names}");
        Assert.True(trace.Any(s => s.Source.Name == FarmTracing.SourceName && s.DisplayName == "engine"), names);
        Assert.True(trace.Any(s => s.Source.Name == FarmTracing.SourceName && s.DisplayName == "upload"), names);
        Assert.True(trace.Any(s => s.Source.Name == "System.Net.Http" && s.GetTagItem("http.request.method") as string == "PUT"), $"no upload PUT: {names}");
        Assert.True(trace.Any(IsBatchRenderedConsume), $"no BatchRendered consume: {names}");

        // Background polls (the dispatcher's every second) start no trace of their own: a command is traced inside a span only.
        Assert.DoesNotContain(spans.ToArray(), s => s.Source.Name == "Npgsql" && s.ParentSpanId == default);

        // Uploads carry presigned addresses: the signature must not end up in a trace.
        Assert.DoesNotContain(trace, s => Tags(s).Contains("X-Amz-Signature=", StringComparison.OrdinalIgnoreCase) && !Tags(s).Contains("X-Amz-Signature=Redacted", StringComparison.OrdinalIgnoreCase));
    }

    /// <remarks>The exporter appends while spans end; a read that meets an append is simply retried by the caller's loop.</remarks>
    private static List<Activity> TraceOf(List<Activity> spans, Guid jobId)
    {
        try
        {
            var snapshot = spans.ToArray();
            var dispatch = snapshot.FirstOrDefault(s => s.DisplayName == "dispatch job" && Equals(s.GetTagItem("renderfarm.job.id"), jobId));
            return dispatch is null ? [] : [.. snapshot.Where(s => s.TraceId == dispatch.TraceId)];
        }
        catch (ArgumentException)
        {
            return [];
        }
    }

    private static bool IsBatchRenderedConsume(Activity span) =>
        span.Source.Name == "MassTransit" && span.Kind == ActivityKind.Consumer && Tags(span).Contains("BatchRendered", StringComparison.Ordinal);

    private static string Tags(Activity span) => span.DisplayName + " " + string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
}
