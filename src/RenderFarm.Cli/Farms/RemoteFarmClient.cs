using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Core.Jobs;

namespace RenderFarm.Cli.Farms;

/// <summary>A coordinator reached over its REST API.</summary>
public sealed class RemoteFarmClient(HttpClient http) : IFarmClient
{
    public async Task<(JobAccepted? Accepted, IDictionary<string, string[]> Errors)> SubmitAsync(JobRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/jobs", request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(cancellationToken);
            return (null, problem?.Errors ?? new Dictionary<string, string[]> { ["request"] = [problem?.Title ?? "rejected"] });
        }

        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<JobAccepted>(cancellationToken))!, new Dictionary<string, string[]>());
    }

    public async Task<JobView> GetJobAsync(Guid jobId, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JobView>($"api/jobs/{jobId:D}", cancellationToken))!;

    public async Task<IReadOnlyList<JobImageView>> GetImagesAsync(Guid jobId, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<List<JobImageView>>($"api/jobs/{jobId:D}/images", cancellationToken))!;

    public async Task DownloadAsync(JobImageView image, Stream destination, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(image.Url!.TrimStart('/'), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        await response.Content.CopyToAsync(destination, cancellationToken);
    }

    public async Task CancelAsync(Guid jobId, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"api/jobs/{jobId:D}/cancel", content: null, cancellationToken);

        // 409: the job finished before the cancel arrived, which is what cancelling wanted anyway.
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            response.EnsureSuccessStatusCode();
        }
    }

    public ValueTask DisposeAsync()
    {
        http.Dispose();
        return ValueTask.CompletedTask;
    }

    public Task WaitForNewsAsync(JobView job, TimeSpan interval, CancellationToken cancellationToken) => Task.Delay(interval, cancellationToken);
}
