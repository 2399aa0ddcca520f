using System.Net.Http.Json;
using System.Text.Json;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;

namespace RenderFarm.Bench.Farm;

/// <summary>The coordinator's public HTTP API, the only way the benchmark drives the farm.</summary>
public sealed class FarmApi(Uri address, string apiKey) : IDisposable
{
    // Light enough not to weigh on the farm: one request per interval, whatever the number of jobs.
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);
    private readonly HttpClient _http = new() { BaseAddress = address, DefaultRequestHeaders = { Authorization = new("Bearer", apiKey) } };

    /// <summary>Waits for <c>/alive</c>; <paramref name="failed"/> says whether the process has died meanwhile.</summary>
    public async Task WaitAliveAsync(Func<bool> failed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await PollAsync(
            async () =>
            {
                try
                {
                    using var response = await _http.GetAsync(new Uri("/alive", UriKind.Relative), cancellationToken);
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            failed,
            timeout,
            "the coordinator to answer /alive",
            cancellationToken);
    }

    /// <summary>Waits until the coordinator has heard <paramref name="count"/> workers' heartbeats: only then does it size dispatch for all of them.</summary>
    public Task WaitWorkersAsync(int count, Func<bool> failed, TimeSpan timeout, CancellationToken cancellationToken) =>
        PollAsync(
            async () => (await WorkersAsync(cancellationToken)).Count >= count,
            failed,
            timeout,
            $"{count} workers to show up in /api/workers",
            cancellationToken);

    /// <summary>The live workers as <c>GET /api/workers</c> lists them (id, state, …).</summary>
    public async Task<IReadOnlyList<JsonElement>> WorkersAsync(CancellationToken cancellationToken) =>
        [.. (await _http.GetFromJsonAsync<JsonElement>(new Uri("/api/workers", UriKind.Relative), cancellationToken)).EnumerateArray()];

    public async Task<Guid> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(new Uri("/api/jobs", UriKind.Relative), request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /api/jobs answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<JobAccepted>(cancellationToken))!.Id;
    }

    public async Task<JobView> GetAsync(Guid job, CancellationToken cancellationToken) =>
        (await _http.GetFromJsonAsync<JobView>(new Uri($"/api/jobs/{job:D}", UriKind.Relative), cancellationToken))!;

    public async Task CancelAsync(Guid job, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri($"/api/jobs/{job:D}/cancel", UriKind.Relative), null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Polls the jobs one after the other (a finished job stays finished), until all have finished.</summary>
    public async Task WaitFinishedAsync(IEnumerable<Guid> jobs, Func<bool> failed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        foreach (var job in jobs)
        {
            await WaitUntilAsync(job, view => JobStatusNames.TryParseStatus(view.Status, out var status) && status.IsFinished(), failed, timeout, cancellationToken);
        }
    }

    public async Task<JobView> WaitUntilAsync(Guid job, Func<JobView, bool> until, Func<bool> failed, TimeSpan timeout, CancellationToken cancellationToken)
    {
        JobView? view = null;
        await PollAsync(async () => until(view = await GetAsync(job, cancellationToken)), failed, timeout, $"job {job}", cancellationToken);
        return view!;
    }

    public void Dispose() => _http.Dispose();

    private static async Task PollAsync(Func<Task<bool>> done, Func<bool> failed, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await done())
        {
            if (failed())
            {
                throw new InvalidOperationException($"A farm process died while waiting for {what}.");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Gave up waiting for {what} after {timeout.TotalSeconds:F0} s.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
