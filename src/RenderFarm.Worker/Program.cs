using RenderFarm.Inference;
using RenderFarm.Infrastructure.Messaging;
using RenderFarm.Infrastructure.Telemetry;
using RenderFarm.Worker;
using RenderFarm.Worker.Rendering;

var builder = Host.CreateApplicationBuilder(args);

builder.Services.AddWorkerServices(builder.Configuration);
builder.Services.AddWorkerHttpEndpoint();
builder.Services.AddRenderFarmTelemetry(builder.Configuration, "renderfarm-worker");
builder.Services.AddOnnxInference();
builder.Services.AddHostedService<ModelPreloader>();
builder.Services.AddRenderFarmBus(builder.Configuration, new WorkerBusParticipant());

builder.Build().Run();
