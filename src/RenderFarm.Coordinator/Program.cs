using Prometheus;
using RenderFarm.Coordinator;
using RenderFarm.Coordinator.Apis;
using RenderFarm.Coordinator.Auth;
using RenderFarm.Coordinator.Quotas;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddApiReference();
builder.Services.AddCoordinatorServices(builder.Configuration);
builder.Services.AddFarmAuth(builder.Configuration);
builder.Services.AddSubmissionRateLimits();
builder.Services.AddExceptionHandler<QuotaExceededHandler>();
builder.Services.AddRenderFarmTelemetry(builder.Configuration, "renderfarm-coordinator");
builder.Services.AddRenderFarmBus(builder.Configuration, new CoordinatorBusParticipant());

var app = builder.Build();

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // A request the framework could not bind (a query value that is not a number, say) is the client's error.
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,

    // A studio over its quota is an answer (429), not a fault worth an error in the log.
    SuppressDiagnosticsCallback = c => c.Exception is QuotaExceededException,
});
app.UseStatusCodePages();

// The web UI: plain files in wwwroot over the REST API, nothing to build.
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseFarmAuth();
app.UseRateLimiter();

app.MapJobsApi();
app.MapImagesApi();
app.MapModelsApi();
app.MapWorkersApi();
app.MapSchedulesApi();
app.MapFarmApi();
app.MapEventsApi();
app.MapStudiosApi();
app.MapUsageApi();
app.MapSessionApi();
app.MapOpenAiImagesApi();
app.MapAutomatic1111Api();
app.MapHealthApi();
app.MapApiReference();

// Farm-wide counts only (no studio's jobs or prompts), scraped by Prometheus inside the cluster.
app.MapMetrics().AllowAnonymous();

app.Run();
