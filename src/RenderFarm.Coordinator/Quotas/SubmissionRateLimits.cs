using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RenderFarm.Coordinator.Auth;

namespace RenderFarm.Coordinator.Quotas;

/// <summary>
/// Per-key rate limit on submissions (<c>Quotas:SubmissionsPerMinute</c>): a runaway script gets 429 with Retry-After
/// before it can fill the queue, whatever its studio's image quotas say.
/// </summary>
public static class SubmissionRateLimits
{
    public const string Policy = "submissions";

    public static IServiceCollection AddSubmissionRateLimits(this IServiceCollection services) =>
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(Policy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<QuotaOptions>>().Value.SubmissionsPerMinute;
                var caller = FarmCaller.From(context.User);
                var partition = caller?.KeyId?.ToString("N") ?? caller?.Actor ?? context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
                return perMinute == 0
                    ? RateLimitPartition.GetNoLimiter(partition)
                    : RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = perMinute,
                        TokensPerPeriod = perMinute,
                        ReplenishmentPeriod = TimeSpan.FromMinutes(1),
                        QueueLimit = 0,
                    });
            });
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context.HttpContext,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many submissions.",
                        Detail = "This key submits faster than the farm's per-key limit; wait and submit fewer, larger jobs.",
                        Extensions = { ["quota"] = "submissionsPerMinute" },
                    },
                });
            };
        });
}
