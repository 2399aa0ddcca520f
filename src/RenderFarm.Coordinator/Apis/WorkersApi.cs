using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using RenderFarm.Contracts;
using RenderFarm.Coordinator.Audit;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Workers;
using RenderFarm.Core.Workers;
using RenderFarm.Infrastructure.Messaging;

namespace RenderFarm.Coordinator.Apis;

public static class WorkersApi
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var workers = app.MapGroup("/api/workers").WithTags("Workers");
        workers.MapGet("/", async (WorkerRegistry registry, CancellationToken cancellationToken) =>
            TypedResults.Ok(await registry.ListLiveAsync(cancellationToken)));

        // The worker finishes what it holds and takes nothing more, until released (or restarted).
        workers.MapPost("/{id}/drain", (string id, WorkerRegistry registry, IPublishEndpoint bus, BrokerSends sends, AuditTrail audit, CancellationToken ct) =>
                ChangeAsync(id, WorkerStates.Draining, "drained by an operator", new DrainWorker { WorkerId = id }, registry, bus, sends, audit, ct))
            .RequireAuthorization(FarmPolicies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);

        // A drained or quarantined worker takes work again, its failures forgotten.
        workers.MapPost("/{id}/release", (string id, WorkerRegistry registry, IPublishEndpoint bus, BrokerSends sends, AuditTrail audit, CancellationToken ct) =>
                ChangeAsync(id, WorkerStates.Active, null, new ReleaseWorker { WorkerId = id }, registry, bus, sends, audit, ct))
            .RequireAuthorization(FarmPolicies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Accepted<WorkerRecord>, ProblemHttpResult>> ChangeAsync<TCommand>(
        string id, string state, string? reason, TCommand command, WorkerRegistry registry, IPublishEndpoint bus, BrokerSends sends, AuditTrail audit, CancellationToken ct)
        where TCommand : class
    {
        var worker = await registry.SetStateAsync(id, state, reason, ct);
        if (worker is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such worker", detail: $"No live worker has the id '{id}'.");
        }

        await sends.WithinTimeoutAsync(token => bus.Publish(command, token), ct);
        await audit.RecordAsync(state == WorkerStates.Active ? "worker.released" : "worker.drained", id, null, null, ct);

        // Accepted: the worker acts on it on its own time (a drain ends when every image it holds is reported).
        return TypedResults.Accepted($"/api/workers", worker);
    }
}
