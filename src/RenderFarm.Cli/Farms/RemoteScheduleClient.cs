using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using RenderFarm.Coordinator.Jobs;
using RenderFarm.Coordinator.Schedules;

namespace RenderFarm.Cli.Farms;

/// <summary>A coordinator's <c>/api/schedules</c>. Schedules live in a farm's database, so there is no embedded variant.</summary>
public sealed class RemoteScheduleClient(HttpClient http) : IDisposable
{
    /// <returns>The schedule, or the validation errors keyed by the API's field names.</returns>
    public async Task<(ScheduleView? Schedule, IDictionary<string, string[]> Errors)> CreateAsync(ScheduleRequest request, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/schedules", request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(cancellationToken);
            return (null, problem?.Errors ?? new Dictionary<string, string[]> { ["request"] = [problem?.Title ?? "rejected"] });
        }

        response.EnsureSuccessStatusCode();
        return ((await response.Content.ReadFromJsonAsync<ScheduleView>(cancellationToken))!, new Dictionary<string, string[]>());
    }

    public async Task<IReadOnlyList<ScheduleView>> ListAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<List<ScheduleView>>("api/schedules", cancellationToken))!;

    /// <returns>Null when there is no such schedule.</returns>
    public Task<ScheduleView?> PauseAsync(Guid id, CancellationToken cancellationToken) => PostAsync<ScheduleView>($"api/schedules/{id:D}/pause", cancellationToken);

    public Task<ScheduleView?> ResumeAsync(Guid id, CancellationToken cancellationToken) => PostAsync<ScheduleView>($"api/schedules/{id:D}/resume", cancellationToken);

    public Task<JobAccepted?> RunNowAsync(Guid id, CancellationToken cancellationToken) => PostAsync<JobAccepted>($"api/schedules/{id:D}/run-now", cancellationToken);

    /// <returns>False when there is no such schedule.</returns>
    public async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.DeleteAsync($"api/schedules/{id:D}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        response.EnsureSuccessStatusCode();
        return true;
    }

    public void Dispose() => http.Dispose();

    private async Task<T?> PostAsync<T>(string path, CancellationToken cancellationToken)
        where T : class
    {
        using var response = await http.PostAsync(path, content: null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(cancellationToken);
            throw new HttpRequestException($"{problem?.Title} {problem?.Detail}".Trim(), null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<T>(cancellationToken);
    }
}
