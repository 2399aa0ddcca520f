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
app.MapJobsApi();
app.MapImagesApi();
app.MapWorkersApi();
app.MapSchedulesApi();
app.MapHealthApi();

app.Run();
