using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Audit;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedules;

namespace RenderFarm.Coordinator.Apis;

public static class SchedulesApi
{
    public static IEndpointRouteBuilder MapSchedulesApi(this IEndpointRouteBuilder app)
    {
        var schedules = app.MapGroup("/api/schedules").WithTags("Schedules");
        schedules.MapGet("/", ListAsync);
        schedules.MapGet("/{id:guid}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        schedules.MapGet("/{id:guid}/history", async Task<Results<Ok<IReadOnlyList<ScheduleFiringView>>, ProblemHttpResult>> (Guid id, ScheduleHistory history, CancellationToken ct) =>
            await history.ListAsync(id, limit: 100, ct) is { } firings ? TypedResults.Ok(firings) : NotFound(id));

        // A schedule spends the studio's GPUs every day unattended: managers decide that, artists do not. Bodies are
        // read by hand (strictly, see JsonRequestBody), so the document is told what they are.
        var manage = schedules.MapGroup("/").RequireAuthorization(FarmPolicies.Manager).AddEndpointFilter(AuditAsync);
        manage.MapPost("/", CreateAsync).Accepts<ScheduleRequest>("application/json");
        manage.MapPut("/{id:guid}", UpdateAsync).Accepts<ScheduleRequest>("application/json").ProducesProblem(StatusCodes.Status404NotFound);
        manage.MapDelete("/{id:guid}", DeleteAsync).ProducesProblem(StatusCodes.Status404NotFound);
        manage.MapPost("/{id:guid}/pause", PauseAsync).ProducesProblem(StatusCodes.Status404NotFound);
        manage.MapPost("/{id:guid}/resume", ResumeAsync).ProducesProblem(StatusCodes.Status404NotFound);
        manage.MapPost("/{id:guid}/run-now", RunNowAsync).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Created<ScheduleView>, ValidationProblem>> CreateAsync(
        HttpRequest request, ScheduleService schedules, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<ScheduleRequest>(request, json.Value.SerializerOptions, "schedule", cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var (schedule, errors) = await schedules.CreateAsync(body, FarmCaller.From(request.HttpContext.User)!.StudioId, cancellationToken);
        return schedule is null
            ? TypedResults.ValidationProblem(errors, title: "The schedule is not valid.")
            : TypedResults.Created($"/api/schedules/{schedule.Id:D}", schedule);
    }

    private static async Task<Ok<IReadOnlyList<ScheduleView>>> ListAsync(ScheduleService schedules, CancellationToken cancellationToken) =>
        TypedResults.Ok(await schedules.ListAsync(cancellationToken));

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> GetAsync(Guid id, ScheduleService schedules, CancellationToken cancellationToken) =>
        await schedules.GetAsync(id, cancellationToken) is { } schedule ? TypedResults.Ok(schedule) : NotFound(id);

    private static async Task<Results<Ok<ScheduleView>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, HttpRequest request, ScheduleService schedules, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<ScheduleRequest>(request, json.Value.SerializerOptions, "schedule", cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var (found, schedule, errors) = await schedules.UpdateAsync(id, body, cancellationToken);
        if (!found)
        {
            return NotFound(id);
        }

        return schedule is null ? TypedResults.ValidationProblem(errors, title: "The schedule is not valid.") : TypedResults.Ok(schedule);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(Guid id, ScheduleService schedules, CancellationToken cancellationToken) =>
        await schedules.DeleteAsync(id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> PauseAsync(Guid id, ScheduleService schedules, CancellationToken cancellationToken) =>
        await schedules.SetPausedAsync(id, paused: true, cancellationToken) is { } schedule ? TypedResults.Ok(schedule) : NotFound(id);

    private static async Task<Results<Ok<ScheduleView>, ProblemHttpResult>> ResumeAsync(Guid id, ScheduleService schedules, CancellationToken cancellationToken) =>
        await schedules.SetPausedAsync(id, paused: false, cancellationToken) is { } schedule ? TypedResults.Ok(schedule) : NotFound(id);

    /// <remarks>A job template that validated when saved can fail later (a model removed from the farm): that is a 409, not the client's 400.</remarks>
    private static async Task<Results<Accepted<JobAccepted>, ProblemHttpResult>> RunNowAsync(Guid id, ScheduleService schedules, CancellationToken cancellationToken)
    {
        if (await schedules.RunNowAsync(id, cancellationToken) is not var (accepted, errors))
        {
            return NotFound(id);
        }

        return accepted is not null
            ? TypedResults.Accepted($"/api/jobs/{accepted.Id:D}", accepted)
            : TypedResults.Problem(
                title: "The schedule's job template is no longer valid on this farm.",
                detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")),
                statusCode: StatusCodes.Status409Conflict);
    }

    /// <summary>Records every change that went through: schedule.created, schedule.updated, schedule.deleted, schedule.pause …</summary>
    private static async ValueTask<object?> AuditAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var outcome = result is INestedHttpResult nested ? nested.Result : result as IResult;
        if (outcome is IStatusCodeHttpResult { StatusCode: < 400 })
        {
            var request = context.HttpContext.Request;
            var id = request.RouteValues["id"]?.ToString() ?? (outcome as IValueHttpResult)?.Value switch { ScheduleView created => created.Id.ToString("D"), _ => "" };
            var last = request.Path.Value!.TrimEnd('/').Split('/')[^1];
            var action = last == "schedules" || Guid.TryParse(last, out _)
                ? request.Method switch { "POST" => "created", "PUT" => "updated", _ => "deleted" }
                : last;
            await context.HttpContext.RequestServices.GetRequiredService<AuditTrail>().RecordAsync($"schedule.{action}", id, studioId: null, detail: null, context.HttpContext.RequestAborted);
        }

        return result;
    }

    private static ProblemHttpResult NotFound(Guid id) =>
        TypedResults.Problem(title: "Schedule not found.", detail: $"There is no schedule {id:D}.", statusCode: StatusCodes.Status404NotFound);
}
