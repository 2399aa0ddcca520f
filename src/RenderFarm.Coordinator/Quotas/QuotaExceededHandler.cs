using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;

namespace RenderFarm.Coordinator.Quotas;

/// <summary>429 problem details naming the quota, its limit and what is used, with Retry-After where a window applies; for every endpoint that submits.</summary>
public sealed class QuotaExceededHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not QuotaExceededException { Refusal: var refusal })
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (refusal.RetryAfter is { } wait)
        {
            httpContext.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Quota exceeded.",
                Detail = refusal.Describe(),
                Extensions = { ["quota"] = refusal.Quota, ["limit"] = refusal.Limit, ["used"] = refusal.Used, ["requested"] = refusal.Requested },
            },
        });
    }
}
