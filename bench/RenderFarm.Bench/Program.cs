using System.Diagnostics;
using Microsoft.Extensions.Options;
using RenderFarm.Bench.Farm;
using RenderFarm.Bench.Faults;
using RenderFarm.Core.Generation;
using RenderFarm.Inference;
using RenderFarm.Inference.Pipelines;

// Usage: dotnet run -c Release --project bench/RenderFarm.Bench -- [model folder] [size] [steps] [repetitions] [threads]
//        dotnet run -c Release --project bench/RenderFarm.Bench -- grid [model folder] [out.png] [steps] [guidance]
//        dotnet run -c Release --project bench/RenderFarm.Bench -- farm [options]      (see bench/README.md)
//        dotnet run -c Release --project bench/RenderFarm.Bench -- faults [options]    (the fault-injection suite; see README "Failures")
var root = FindRoot();
if (args.Length > 0 && args[0] == "farm")
{
    return await FarmCommand.RunAsync(root, args[1..]);
}

if (args.Length > 0 && args[0] == "faults")
{
    return await FaultsCommand.RunAsync(root, args[1..]);
}

if (args.Length > 0 && args[0] == "farm-worker")
{
    await FarmWorkerCommand.RunAsync(root, args[1..]);
    return 0;
}

if (args.Length > 0 && args[0] == "grid")
{
    await ShapesGrid.RunAsync(root, args[1..]);
    return 0;
}

var folder = args.Length > 0 ? args[0] : Path.Combine(root, "tests", "fixtures", "models", "tiny-sd-turbo");
var size = args.Length > 1 ? int.Parse(args[1]) : 64;
var steps = args.Length > 2 ? int.Parse(args[2]) : 4;
var repetitions = args.Length > 3 ? int.Parse(args[3]) : 10;
var threads = args.Length > 4 ? int.Parse(args[4]) : 0;
var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));

using var generator = new OnnxImageGenerator(Options.Create(new InferenceOptions
{
    Models = [new InferenceModelOptions { Name = name, Path = folder }],
    IntraOpThreads = threads,
}));

var load = Stopwatch.StartNew();
generator.Preload(name);
Console.WriteLine($"model {name} ({folder}), {size}x{size}, {steps} steps, device {generator.Device}, {Environment.ProcessorCount} cores, intra-op threads {(threads == 0 ? "default" : threads)}");
Console.WriteLine($"load: {load.Elapsed.TotalMilliseconds:F0} ms");

// Warm the JIT (tiered compilation promotes hot loops after ~30 calls) and ONNX Runtime's allocators before timing.
var warmup = new GenerationBatch(name, size, size, steps, 5.0, [new GenerationItem("warm up", "", 1), new GenerationItem("warm up", "", 2)]);
for (var w = 0; w < 40; w++)
{
    await generator.GenerateAsync(warmup, null, null, CancellationToken.None);
}
Console.WriteLine();
// fwd/img: denoiser (unet / transformer) forwards each image goes through; CFG runs both halves in one forward.
Console.WriteLine("guidance batch  images/s  vs b1  fwd/img  ms/step  session ms/step  overhead ms/step  overhead %  text ms  decode ms (session)");

foreach (var guidance in new[] { 0.0, 5.0 })
{
    double? baseline = null;
    foreach (var batchSize in new[] { 1, 2, 4, 8 })
    {
        var batch = new GenerationBatch(name, size, size, steps, guidance,
            [.. Enumerable.Range(0, batchSize).Select(i => new GenerationItem($"a red cat number {i}", "blue dog", 1000 + i))]);
        for (var w = 0; w < 3; w++)
        {
            await generator.GenerateAsync(batch, null, null, CancellationToken.None);
        }

        // Medians over repetitions: the machine is shared, and a mean lets one descheduled run skew a row.
        var runs = new List<GenerationTimings>();
        for (var r = 0; r < repetitions; r++)
        {
            var timings = new GenerationTimings();
            await generator.GenerateAsync(batch, null, timings, CancellationToken.None);
            runs.Add(timings);
        }

        var total = Median(runs, t => t.Total.TotalMilliseconds);
        var imagesPerSecond = batchSize * 1000 / total;
        baseline ??= imagesPerSecond;
        var stepMs = Median(runs, t => t.DenoiseTotal.TotalMilliseconds / t.Steps);
        var sessionMs = Median(runs, t => t.DenoiseSession.TotalMilliseconds / t.Steps);
        var overheadMs = Median(runs, t => (t.DenoiseTotal - t.DenoiseSession).TotalMilliseconds / t.Steps);
        Console.WriteLine(
            $"{guidance,8:F1} {batchSize,5}  {imagesPerSecond,8:F2}  {imagesPerSecond / baseline,5:F2}x  {Median(runs, t => t.Forwards),7:F0}  {stepMs,7:F3}  {sessionMs,15:F3}  {overheadMs,16:F4}  {100 * overheadMs / stepMs,9:F2}%  " +
            $"{Median(runs, t => t.TextEncoding.TotalMilliseconds),7:F2}  {Median(runs, t => t.DecodeTotal.TotalMilliseconds),6:F2} ({Median(runs, t => t.DecodeSession.TotalMilliseconds):F2})");
    }
}

return 0;

static double Median(List<GenerationTimings> runs, Func<GenerationTimings, double> value)
{
    var sorted = runs.Select(value).Order().ToList();
    return sorted[sorted.Count / 2];
}

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RenderFarm.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? Directory.GetCurrentDirectory();
}
