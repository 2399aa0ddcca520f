using Prometheus;
using RenderFarm.Coordinator;
using RenderFarm.Coordinator.Apis;
using RenderFarm.Infrastructure.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddApiReference();
builder.Services.AddCoordinatorServices(builder.Configuration);
builder.Services.AddRenderFarmBus(builder.Configuration, new CoordinatorBusParticipant());

var app = builder.Build();

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    // A request the framework could not bind (a query value that is not a number, say) is the client's error.
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();

// The web UI: plain files in wwwroot over the REST API, nothing to build.
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapJobsApi();
app.MapImagesApi();
app.MapModelsApi();
app.MapWorkersApi();
app.MapSchedulesApi();
app.MapFarmApi();
app.MapEventsApi();
app.MapOpenAiImagesApi();
app.MapAutomatic1111Api();
app.MapHealthApi();
app.MapApiReference();
app.MapMetrics();

app.Run();
