using RenderFarm.Coordinator;
using RenderFarm.Coordinator.Apis;
using RenderFarm.Infrastructure.Messaging;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddProblemDetails();
builder.Services.AddCoordinatorServices(builder.Configuration);
builder.Services.AddRenderFarmBus(builder.Configuration, new CoordinatorBusParticipant());

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

// The web UI: plain files in wwwroot over the REST API, nothing to build.
app.UseDefaultFiles();
app.UseStaticFiles();

app.MapJobsApi();
app.MapImagesApi();
app.MapModelsApi();
app.MapWorkersApi();
app.MapFarmApi();
app.MapEventsApi();
app.MapHealthApi();

app.Run();
