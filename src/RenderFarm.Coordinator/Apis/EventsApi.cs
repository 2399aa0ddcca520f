using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using RenderFarm.Coordinator.Events;
using RenderFarm.Core.Studios;
using RenderFarm.Infrastructure.Persistence;

namespace RenderFarm.Coordinator.Apis;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/events", (Guid? jobId, ImageEventBroadcaster broadcaster, IHostApplicationLifetime lifetime, HttpContext http, RenderFarmDbContext db, StudioScope scope) =>
        {
            // nginx (the usual Kubernetes ingress) would otherwise hold events back in its response buffer.
            http.Response.Headers["X-Accel-Buffering"] = "no";
            return TypedResults.ServerSentEvents(StreamAsync(broadcaster.Subscribe(), jobId, new VisibleJobs(db, scope), lifetime.ApplicationStopping, http.RequestAborted));
        }).WithTags("Events");
        return app;
    }

    /// <remarks>Ends on shutdown too: an open stream would otherwise hold the host's graceful stop until its timeout.</remarks>
    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        ImageEventSubscription subscription, Guid? jobId, VisibleJobs visible, CancellationToken stopping, [EnumeratorCancellation] CancellationToken aborted)
    {
        using var _ = subscription;

        // Sent at once so that clients know from when on they hear everything (headers alone are not flushed).
        yield return new SseItem<object>(new { jobId }, "ready");

        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        IAsyncEnumerator<ImageEvent> events = subscription.Reader.ReadAllAsync(ended.Token).GetAsyncEnumerator(ended.Token);
        await using (events)
        {
            while (await MoveNextOrEndAsync(events))
            {
                if ((jobId is null || events.Current.JobId == jobId) && await visible.ContainsAsync(events.Current.JobId, ended.Token))
                {
                    yield return new SseItem<object>(events.Current, events.Current.Type);
                }
            }
        }
    }

    private static async Task<bool> MoveNextOrEndAsync(IAsyncEnumerator<ImageEvent> events)
    {
        try
        {
            return await events.MoveNextAsync();
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
