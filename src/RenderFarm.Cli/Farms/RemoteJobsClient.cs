using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Workers;

namespace RenderFarm.Cli.Farms;

/// <summary>A coordinator's jobs and workers, for the commands that look after work already submitted.</summary>
public sealed class RemoteJobsClient(HttpClient http) : IDisposable
{
    public Task<RemoteResult<List<JobView>>> ListAsync(string? status, int? limit, CancellationToken cancellationToken)
    {
        var query = new List<string>();
        if (status is not null)
        {
            query.Add($"status={Uri.EscapeDataString(status)}");
        }

        if (limit is not null)
        {
            query.Add($"limit={limit}");
        }

        return GetAsync<List<JobView>>("api/jobs" + (query.Count > 0 ? "?" + string.Join('&', query) : ""), cancellationToken);
    }

    public Task<RemoteResult<JobView>> GetAsync(Guid jobId, CancellationToken cancellationToken) =>
        GetAsync<JobView>($"api/jobs/{jobId:D}", cancellationToken);

    public Task<RemoteResult<List<JobImageView>>> GetImagesAsync(Guid jobId, CancellationToken cancellationToken) =>
        GetAsync<List<JobImageView>>($"api/jobs/{jobId:D}/images", cancellationToken);

    public Task<RemoteResult<JobView>> CancelAsync(Guid jobId, CancellationToken cancellationToken) =>
        PostAsync($"api/jobs/{jobId:D}/cancel", cancellationToken);

    public Task<RemoteResult<JobView>> RetryAsync(Guid jobId, CancellationToken cancellationToken) =>
        PostAsync($"api/jobs/{jobId:D}/retry", cancellationToken);

    public Task<RemoteResult<JobView>> PauseAsync(Guid jobId, CancellationToken cancellationToken) =>
        PostAsync($"api/jobs/{jobId:D}/pause", cancellationToken);

    public Task<RemoteResult<JobView>> ResumeAsync(Guid jobId, CancellationToken cancellationToken) =>
        PostAsync($"api/jobs/{jobId:D}/resume", cancellationToken);

    /// <param name="priority"><c>low</c>, <c>normal</c> or <c>high</c>; the farm refuses anything else (400, naming the field).</param>
    public async Task<RemoteResult<JobView>> SetPriorityAsync(Guid jobId, string priority, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync($"api/jobs/{jobId:D}/priority", new JobPriorityChange { Priority = priority }, cancellationToken);
        return await ReadAsync<JobView>(response, cancellationToken);
    }

    /// <summary>Asks a worker to finish what it holds and take nothing more (admins).</summary>
    public Task<RemoteResult<WorkerRecord>> DrainWorkerAsync(string workerId, CancellationToken cancellationToken) =>
        PostAsync<WorkerRecord>($"api/workers/{Uri.EscapeDataString(workerId)}/drain", cancellationToken);

    /// <summary>Lets a drained or quarantined worker take work again (admins).</summary>
    public Task<RemoteResult<WorkerRecord>> ReleaseWorkerAsync(string workerId, CancellationToken cancellationToken) =>
        PostAsync<WorkerRecord>($"api/workers/{Uri.EscapeDataString(workerId)}/release", cancellationToken);

    public async Task DownloadAsync(JobImageView image, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(image.Url!.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await response.Content.CopyToAsync(destination, cancellationToken);
    }

    public async Task<List<WorkerRecord>> ListWorkersAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<List<WorkerRecord>>("api/workers", cancellationToken))!;

    public void Dispose() => http.Dispose();

    private async Task<RemoteResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.GetAsync(path, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    private Task<RemoteResult<JobView>> PostAsync(string path, CancellationToken cancellationToken) => PostAsync<JobView>(path, cancellationToken);

    private async Task<RemoteResult<T>> PostAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.PostAsync(path, content: null, cancellationToken);
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <remarks>Client errors come back as results, with what their problem details said; anything else is the farm's error and throws.</remarks>
    private static async Task<RemoteResult<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
        where T : class
    {
        if (response.IsSuccessStatusCode)
        {
            return new((await response.Content.ReadFromJsonAsync<T>(cancellationToken))!, response.StatusCode, null);
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.Conflict)
        {
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(cancellationToken);
            var errors = problem?.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")) ?? [];
            var text = string.Join(" ", new[] { problem?.Detail ?? problem?.Title }.Concat(errors).Where(t => !string.IsNullOrEmpty(t)));
            return new(null, response.StatusCode, text);
        }

        throw new HttpRequestException($"The farm answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
    }
}
