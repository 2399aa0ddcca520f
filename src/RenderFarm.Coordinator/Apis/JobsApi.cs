using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Audit;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Quotas;
using RenderFarm.Coordinator.Webhooks;
using RenderFarm.Core.Jobs;

namespace RenderFarm.Coordinator.Apis;

public static class JobsApi
{
    public static IEndpointRouteBuilder MapJobsApi(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs");
        jobs.MapGet("/", ListAsync);
        jobs.MapGet("/{id:guid}", GetAsync).ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id:guid}/images", GetImagesAsync).ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id:guid}/deliveries", async Task<Results<Ok<IReadOnlyList<WebhookDeliveryView>>, ProblemHttpResult>> (Guid id, JobQueries queries, CancellationToken ct) =>
            await queries.GetDeliveriesAsync(id, ct) is { } deliveries ? TypedResults.Ok(deliveries) : JobNotFound(id))
            .ProducesProblem(StatusCodes.Status404NotFound);
        jobs.MapGet("/{id:guid}/archive", GetArchiveAsync)
            .Produces<Stream>(StatusCodes.Status200OK, "application/zip")
            .ProducesProblem(StatusCodes.Status404NotFound);

        // The body is read by hand (strictly, see JsonRequestBody), so the document is told what it is.
        var steer = jobs.MapGroup("/").RequireAuthorization(FarmPolicies.Artist);
        steer.MapPost("/", SubmitAsync).Accepts<JobRequest>("application/json").RequireRateLimiting(SubmissionRateLimits.Policy);
        steer.MapPost("/{id:guid}/cancel", (Guid id, JobService service, JobQueries queries, AuditTrail audit, CancellationToken ct) =>
            ChangedAsync(id, "job.cancelled", service.CancelAsync(id, ct), "only queued, running or paused jobs can be cancelled", queries, audit, ct)).ProducesChangeProblems();
        steer.MapPost("/{id:guid}/pause", (Guid id, JobControl control, JobQueries queries, AuditTrail audit, CancellationToken ct) =>
            ChangedAsync(id, "job.paused", control.PauseAsync(id, ct), "only queued, running or paused jobs can be paused", queries, audit, ct)).ProducesChangeProblems();
        steer.MapPost("/{id:guid}/resume", (Guid id, JobControl control, JobQueries queries, AuditTrail audit, CancellationToken ct) =>
            ChangedAsync(id, "job.resumed", control.ResumeAsync(id, ct), "only paused (or still active) jobs can be resumed", queries, audit, ct)).ProducesChangeProblems();
        steer.MapPost("/{id:guid}/retry", (Guid id, JobControl control, JobQueries queries, AuditTrail audit, CancellationToken ct) =>
            ChangedAsync(id, "job.retried", control.RetryFailedAsync(id, ct), "only jobs that finished completed_with_errors or failed have failed images to retry", queries, audit, ct)).ProducesChangeProblems();
        steer.MapPost("/{id:guid}/priority", SetPriorityAsync).Accepts<JobPriorityChange>("application/json").ProducesChangeProblems();
        return app;
    }

    /// <remarks>The body is read by hand (strictly) so that malformed JSON gets problem details naming the field, like any other bad input.</remarks>
    private static async Task<Results<Accepted<JobAccepted>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest request, JobService jobs, AuditTrail audit, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<JobRequest>(request, json.Value.SerializerOptions, "job", cancellationToken);
        if (body is null)
        {
            return problem!;
        }

        var caller = FarmCaller.From(request.HttpContext.User)!;
        var submission = await jobs.SubmitAsync(body, caller.StudioId, origin: null, cancellationToken);
        if (submission.NoWorker is { } noWorker)
        {
            return TypedResults.Problem(noWorker, statusCode: StatusCodes.Status409Conflict, title: "No worker can render this job now.");
        }

        if (submission.MissesDeadline is { } estimate)
        {
            return TypedResults.Problem(
                $"At the farm's measured pace the job would finish at {estimate.Eta:u}, after its deadline {body.Deadline:u}; nothing was written.",
                statusCode: StatusCodes.Status409Conflict,
                title: "The job cannot make its deadline.",
                extensions: new Dictionary<string, object?> { ["eta"] = estimate.Eta, ["deadline"] = body.Deadline });
        }

        var (accepted, errors) = submission;
        if (accepted is null)
        {
            return TypedResults.ValidationProblem(errors, title: "The job is not valid.");
        }

        await audit.RecordAsync("job.submitted", accepted.Id.ToString("D"), caller.StudioId, $"{accepted.ImageCount} images", cancellationToken);

        return TypedResults.Accepted($"/api/jobs/{accepted.Id:D}", accepted);
    }

    private static async Task<Results<Ok<IReadOnlyList<JobView>>, ValidationProblem>> ListAsync(
        JobQueries queries, string? status, string? limit, string? studioId, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        JobStatus? wanted = null;
        if (!string.IsNullOrEmpty(status))
        {
            if (JobStatusNames.TryParseStatus(status, out var parsed))
            {
                wanted = parsed;
            }
            else
            {
                errors["status"] = ["Status must be one of: " + string.Join(", ", Enum.GetValues<JobStatus>().Select(s => s.ToWire())) + "."];
            }
        }

        // Read as text so that an empty value (as HTML forms send) means "not given" and garbage is named.
        var count = 50;
        if (!string.IsNullOrEmpty(limit) && (!int.TryParse(limit, out count) || count is < 1 or > 1000))
        {
            errors["limit"] = ["Limit must be a whole number between 1 and 1000."];
        }

        Guid? studio = null;
        if (!string.IsNullOrEmpty(studioId))
        {
            if (Guid.TryParse(studioId, out var parsed))
            {
                studio = parsed;
            }
            else
            {
                errors["studioId"] = ["The studio id must be a GUID."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        return TypedResults.Ok(await queries.ListAsync(wanted, count, studio, cancellationToken));
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult>> GetAsync(Guid id, JobQueries queries, CancellationToken cancellationToken) =>
        await queries.GetAsync(id, cancellationToken) is { } job ? TypedResults.Ok(job) : JobNotFound(id);

    private static async Task<Results<Ok<IReadOnlyList<JobImageView>>, ProblemHttpResult>> GetImagesAsync(Guid id, JobQueries queries, CancellationToken cancellationToken) =>
        await queries.GetImagesAsync(id, cancellationToken) is { } images ? TypedResults.Ok(images) : JobNotFound(id);

    /// <summary>All rendered images of the job as one zip, written while it streams.</summary>
    private static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> GetArchiveAsync(
        Guid id, JobArchiveWriter archive, HttpContext http, CancellationToken cancellationToken)
    {
        if (await archive.FindImagesAsync(id, cancellationToken) is not { } images)
        {
            return JobNotFound(id);
        }

        // .NET 10's zip entry streams write their data descriptor synchronously even when disposed asynchronously
        // (a few bytes per entry); the image bytes themselves go out asynchronously.
        if (http.Features.Get<IHttpBodyControlFeature>() is { } body)
        {
            body.AllowSynchronousIO = true;
        }

        return TypedResults.Stream(
            destination => archive.WriteAsync(images, destination, cancellationToken),
            "application/zip",
            $"renderfarm-{id.ToString("N")[..8]}.zip");
    }

    private static async Task<Results<Ok<JobView>, ProblemHttpResult, ValidationProblem>> SetPriorityAsync(
        Guid id, HttpRequest request, JobControl control, JobQueries queries, AuditTrail audit, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonRequestBody.ReadAsync<JobPriorityChange>(request, json.Value.SerializerOptions, "priority change", cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        if (!JobStatusNames.TryParsePriority(body!.Priority, out var priority))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["priority"] = ["Priority must be one of: low, normal, high."] });
        }

        return await ChangedAsync(id, "job.priority_changed", control.SetPriorityAsync(id, priority, cancellationToken), "only unfinished jobs can change priority", queries, audit, cancellationToken);
    }

    /// <summary>
    /// The job as it is now, 404 for an unknown job, or 409 naming the status that refused the change (a finished job
    /// cancelled again, say): nothing was changed, and the client should know.
    /// </summary>
    private static async Task<Results<Ok<JobView>, ProblemHttpResult, ValidationProblem>> ChangedAsync(
        Guid id, string action, Task<(bool Found, JobStatus? Refused)> change, string rule, JobQueries queries, AuditTrail audit, CancellationToken cancellationToken)
    {
        var (found, refused) = await change;
        if (!found)
        {
            return JobNotFound(id);
        }

        if (refused is { } status)
        {
            return TypedResults.Problem(
                title: "The job's status does not allow this.",
                detail: $"Job {id:D} is {status.ToWire()}; {rule}.",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["jobStatus"] = status.ToWire() });
        }

        var job = (await queries.GetAsync(id, cancellationToken))!;
        await audit.RecordAsync(action, id.ToString("D"), job.StudioId, detail: null, cancellationToken);
        return TypedResults.Ok(job);
    }

    /// <summary>404 for an unknown job, 409 for a status that refuses the change (see <see cref="ChangedAsync"/>).</summary>
    private static RouteHandlerBuilder ProducesChangeProblems(this RouteHandlerBuilder endpoint) =>
        endpoint.ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);

    private static ProblemHttpResult JobNotFound(Guid id) =>
        TypedResults.Problem(title: "Job not found.", detail: $"There is no job {id:D}.", statusCode: StatusCodes.Status404NotFound);
}
