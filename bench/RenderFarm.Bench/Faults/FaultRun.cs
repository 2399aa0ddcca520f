using Microsoft.Extensions.Options;
using Minio;
using Npgsql;
using RenderFarm.Bench.Farm;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Infrastructure.Storage;

namespace RenderFarm.Bench.Faults;

/// <summary>
/// One fault on a fresh farm: a job on two worker processes, the fault injected once part of it has rendered, a small
/// probe job submitted the moment the fault is over, and then the record checked image by image.
/// </summary>
public static class FaultRun
{
    /// <summary>The longest the farm may take to serve a new job after a fault has ended.</summary>
    public static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan FinishTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    public const int ProbeImages = 4;

    public static async Task<FaultOutcome> RunAsync(BenchServers servers, FarmSpec spec, Fault fault, int images, TimeSpan outage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fault);
        await using var farm = await BenchFarm.StartAsync(servers, spec, cancellationToken);
        var context = new FaultContext(farm, servers, outage, cancellationToken);
        var problems = new List<string>();

        if (fault.PrepareAsync is { } prepare)
        {
            await prepare(context);
        }

        var job = await farm.Api.SubmitAsync(BenchJobs.Of(farm.Settings.Model, images, $"{fault.Name} job"), cancellationToken);
        await WaitAsync(farm, job, v => v.Completed >= (int)(images * fault.InjectAt), cancellationToken);

        var injected = DateTimeOffset.UtcNow;
        await fault.InjectAsync(context);
        var ended = DateTimeOffset.UtcNow;
        Console.Error.WriteLine($"[faults] {fault.Name}: fault over after {(ended - injected).TotalSeconds:F1} s");

        var probe = await SubmitAsync(farm, $"{fault.Name} probe", cancellationToken);
        var probeView = await WaitAsync(farm, probe, v => IsFinished(v.Status), cancellationToken);
        var view = await WaitAsync(farm, job, v => IsFinished(v.Status), cancellationToken);

        var recovery = probeView?.FinishedAt - ended;
        var jobFinished = view?.FinishedAt - ended;
        if (probeView is null || recovery > RecoveryLimit)
        {
            problems.Add($"a job submitted after the fault {(probeView is null ? "never finished" : $"finished only after {recovery!.Value.TotalSeconds:F1} s")} (limit {RecoveryLimit.TotalSeconds:F0} s)");
        }

        if (probeView is { Status: not "completed" })
        {
            problems.Add($"the job submitted after the fault ended {probeView.Status}");
        }

        var status = view?.Status ?? "unfinished";
        if (status != "completed")
        {
            problems.Add($"the job ended {status}, not completed");
        }

        var tally = await TallyAsync(farm, job, cancellationToken);
        if (tally.Rows != images || tally.Rendered != images)
        {
            problems.Add($"{tally.Rendered} of {images} images rendered ({tally.Rows} rows)");
        }

        if (tally.Objects != tally.Rendered || tally.Missing > 0)
        {
            problems.Add($"{tally.Objects} objects in the bucket for {tally.Rendered} rendered images, {tally.Missing} missing");
        }

        if (tally.MaxAttempts > fault.MaxAttempts)
        {
            problems.Add($"an image was charged {tally.MaxAttempts} attempts (at most {fault.MaxAttempts} expected)");
        }

        if (problems.Count == 0)
        {
            farm.Succeeded();
        }

        var engines = await farm.ReadEngineUsageAsync();
        return new FaultOutcome(fault.Name, fault.Description, ended - injected, recovery, jobFinished, status, tally, engines?.Images, problems);
    }

    private static bool IsFinished(string status) => status is "completed" or "completed_with_errors" or "failed" or "cancelled";

    private static async Task<Guid> SubmitAsync(BenchFarm farm, string label, CancellationToken cancellationToken)
    {
        // The coordinator may still be reconnecting to what just came back: a refused submission is tried again.
        var deadline = DateTime.UtcNow + RecoveryLimit;
        while (true)
        {
            try
            {
                return await farm.Api.SubmitAsync(BenchJobs.Of(farm.Settings.Model, ProbeImages, label), cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or InvalidOperationException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(PollInterval, cancellationToken);
            }
        }
    }

    /// <summary>Polls the job until <paramref name="until"/> holds; null when it does not within the timeout. Errors while the farm recovers are polled through.</summary>
    private static async Task<JobView?> WaitAsync(BenchFarm farm, Guid job, Func<JobView, bool> until, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + FinishTimeout;
        while (DateTime.UtcNow < deadline && !farm.Failed())
        {
            try
            {
                var view = await farm.Api.GetAsync(job, cancellationToken);
                if (until(view))
                {
                    return view;
                }
            }
            catch (Exception e) when (e is HttpRequestException or System.Text.Json.JsonException)
            {
            }

            await Task.Delay(PollInterval, cancellationToken);
        }

        return null;
    }

    private static async Task<ImageTally> TallyAsync(BenchFarm farm, Guid job, CancellationToken cancellationToken)
    {
        var rows = new List<(string Status, int Attempts, string? Key)>();
        await using (var connection = new NpgsqlConnection(farm.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""SELECT "Status", "Attempts", "ObjectKey" FROM images WHERE "JobId" = @job""", connection);
            command.Parameters.AddWithValue("job", job);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
            }
        }

        // The farm's own S3 store over the run's bucket: the listing the orphan scan uses.
        var settings = farm.Settings.Coordinator();
        using var client = new MinioClient()
            .WithEndpoint(settings["Storage__Endpoint"])
            .WithCredentials(settings["Storage__AccessKey"], settings["Storage__SecretKey"])
            .Build();
        var store = new S3ImageStore(client, Options.Create(new StorageOptions { Bucket = settings["Storage__Bucket"] }));
        var objects = new HashSet<string>();
        await foreach (var stored in store.ListAsync($"jobs/{job:D}/", cancellationToken))
        {
            objects.Add(stored.Key);
        }

        var rendered = rows.Where(r => r.Status == "Rendered" && r.Key is not null).Select(r => r.Key!).Distinct().ToList();
        return new ImageTally(rows.Count, rendered.Count, objects.Count, rendered.Count(k => !objects.Contains(k)), rows.Count == 0 ? 0 : rows.Max(r => r.Attempts));
    }
}
