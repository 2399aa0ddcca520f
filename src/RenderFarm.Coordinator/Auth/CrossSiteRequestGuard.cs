using Microsoft.Extensions.Options;

namespace RenderFarm.Coordinator.Auth;

/// <summary>
/// Keeps other web sites from acting with a signed-in browser's session: a state-changing request must send JSON
/// (an HTML form cannot), and one that relies on the session cookie must come from the coordinator's own pages or an
/// allowed origin. The SameSite=Strict cookie already stays home; this holds even where a browser ignores SameSite.
/// </summary>
public sealed class CrossSiteRequestGuard(RequestDelegate next, IOptions<AuthOptions> options, IProblemDetailsService problems)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method))
        {
            await next(context);
            return;
        }

        if (!string.IsNullOrEmpty(request.ContentType) && !request.HasJsonContentType())
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Send JSON.", $"This endpoint reads application/json, not {request.ContentType}.");
            return;
        }

        var usesCookie = string.IsNullOrEmpty(request.Headers.Authorization);
        if (usesCookie && (IsForeignOrigin(request) || request.Headers["Sec-Fetch-Site"] == "cross-site"))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused.", "A request signed in with the session cookie must come from this farm's own pages.");
            return;
        }

        await next(context);
    }

    private bool IsForeignOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }

        var own = $"{request.Scheme}://{request.Host}";
        return !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase)
            && !options.Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);
    }

    private Task RefuseAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
