using System.Diagnostics;
using Microsoft.Extensions.Options;
using RenderFarm.Bench.Farm;
using RenderFarm.Bench.Faults;
using RenderFarm.Core.Generation;
using RenderFarm.Inference;
using RenderFarm.Inference.Pipelines;

// Usage: dotnet run -c Release --project bench/RenderFarm.Bench -- [model folder] [size] [steps] [repetitions] [threads] [--io-binding off|on|both]
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

var positional = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToArray();
var options = CommandLineOptions.Parse(args[positional.Length..]);
options.RejectUnknown(["io-binding"]);
bool[] ioModes = options.Get("io-binding", "off") switch
{
    "off" => [false],
    "on" => [true],
    "both" => [false, true],
    var other => throw new FormatException($"--io-binding is off, on or both (got '{other}')."),
};
var folder = positional.Length > 0 ? positional[0] : Path.Combine(root, "tests", "fixtures", "models", "tiny-sd-turbo");
var size = positional.Length > 1 ? int.Parse(positional[1]) : 64;
var steps = positional.Length > 2 ? int.Parse(positional[2]) : 4;
var repetitions = positional.Length > 3 ? int.Parse(positional[3]) : 10;
var threads = positional.Length > 4 ? int.Parse(positional[4]) : 0;
var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));

var generators = ioModes.Select(io => new OnnxImageGenerator(Options.Create(new InferenceOptions
{
    Models = [new InferenceModelOptions { Name = name, Path = folder }],
    IntraOpThreads = threads,
    IoBinding = io,
}))).ToList();

var load = Stopwatch.StartNew();
generators.ForEach(g => g.Preload(name));
Console.WriteLine($"model {name} ({folder}), {size}x{size}, {steps} steps, device {generators[0].Device}, {Environment.ProcessorCount} cores, intra-op threads {(threads == 0 ? "default" : threads)}");
Console.WriteLine($"load: {load.Elapsed.TotalMilliseconds:F0} ms ({generators.Count} engine(s))");

// Warm the JIT (tiered compilation promotes hot loops after ~30 calls) and ONNX Runtime's allocators before timing.
var warmup = new GenerationBatch(name, size, size, steps, 5.0, [new GenerationItem("warm up", "", 1), new GenerationItem("warm up", "", 2)]);
foreach (var generator in generators)
{
    for (var w = 0; w < 40; w++)
    {
        await generator.GenerateAsync(warmup, null, CancellationToken.None);
    }
}

Console.WriteLine();
// fwd/img: denoiser (unet / transformer) forwards each image goes through; CFG runs both halves in one forward.
Console.WriteLine("guidance batch  io   images/s  vs b1  fwd/img  ms/step  session ms/step  overhead ms/step  overhead %  text ms  decode ms (session)");
var comparisons = new List<string>();

foreach (var guidance in new[] { 0.0, 5.0 })
{
    var baselines = new double?[generators.Count];
    foreach (var batchSize in new[] { 1, 2, 4, 8 })
    {
        var batch = new GenerationBatch(name, size, size, steps, guidance,
            [.. Enumerable.Range(0, batchSize).Select(i => new GenerationItem($"a red cat number {i}", "blue dog", 1000 + i))]);
        foreach (var generator in generators)
        {
            for (var w = 0; w < 3; w++)
            {
                await generator.GenerateAsync(batch, null, CancellationToken.None);
            }
        }

        // Medians over repetitions: the machine is shared, and a mean lets one descheduled run skew a row. The engines
        // take turns within each repetition, so a noisy second hits both alike.
        var runs = generators.Select(_ => new List<GenerationTimings>()).ToList();
        for (var r = 0; r < repetitions; r++)
        {
            for (var g = 0; g < generators.Count; g++)
            {
                var timings = new GenerationTimings();
                await generators[g].GenerateAsync(batch, null, timings, CancellationToken.None);
                runs[g].Add(timings);
            }
        }

        var rows = new List<(double ImagesPerSecond, double StepMs, double SessionMs, double OverheadMs)>();
        for (var g = 0; g < generators.Count; g++)
        {
            var total = Median(runs[g], t => t.Total.TotalMilliseconds);
            var imagesPerSecond = batchSize * 1000 / total;
            baselines[g] ??= imagesPerSecond;
            var stepMs = Median(runs[g], t => t.DenoiseTotal.TotalMilliseconds / t.Steps);
            var sessionMs = Median(runs[g], t => t.DenoiseSession.TotalMilliseconds / t.Steps);
            var overheadMs = Median(runs[g], t => (t.DenoiseTotal - t.DenoiseSession).TotalMilliseconds / t.Steps);
            rows.Add((imagesPerSecond, stepMs, sessionMs, overheadMs));
            Console.WriteLine(
                $"{guidance,8:F1} {batchSize,5}  {(ioModes[g] ? "on" : "off"),-3}  {imagesPerSecond,8:F2}  {imagesPerSecond / baselines[g],5:F2}x  {Median(runs[g], t => t.Forwards),7:F0}  {stepMs,7:F3}  {sessionMs,15:F3}  {overheadMs,16:F4}  {100 * overheadMs / stepMs,9:F2}%  " +
                $"{Median(runs[g], t => t.TextEncoding.TotalMilliseconds),7:F2}  {Median(runs[g], t => t.DecodeTotal.TotalMilliseconds),6:F2} ({Median(runs[g], t => t.DecodeSession.TotalMilliseconds):F2})");
        }

        if (rows.Count == 2)
        {
            var (off, on) = (rows[0], rows[1]);
            comparisons.Add(
                $"{guidance,8:F1} {batchSize,5}  {on.ImagesPerSecond / off.ImagesPerSecond,8:F2}x  {on.StepMs / off.StepMs,7:F2}x  {on.SessionMs / off.SessionMs,15:F2}x  " +
                $"{off.OverheadMs,8:F4} → {on.OverheadMs,6:F4} ({on.OverheadMs / off.OverheadMs:F2}x)");
        }
    }
}

if (comparisons.Count > 0)
{
    // Ratios of medians, IO binding on ÷ off: below 1 is faster for the times, above 1 for images/s.
    Console.WriteLine();
    Console.WriteLine("guidance batch  images/s  ms/step  session ms/step  overhead ms/step off → on");
    comparisons.ForEach(Console.WriteLine);
}

generators.ForEach(g => g.Dispose());
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
