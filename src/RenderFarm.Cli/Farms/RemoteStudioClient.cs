using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using RenderFarm.Coordinator.Studios;

namespace RenderFarm.Cli.Farms;

/// <summary>A coordinator's studios and keys (<c>/api/studios</c>, <c>/api/keys</c>).</summary>
public sealed class RemoteStudioClient(HttpClient http) : IDisposable
{
    public Task<(ApiKeyCreated? Created, IDictionary<string, string[]> Errors)> CreateKeyAsync(ApiKeyRequest request, CancellationToken cancellationToken) =>
        PostAsync<ApiKeyRequest, ApiKeyCreated>("api/keys", request, cancellationToken);

    public async Task<IReadOnlyList<ApiKeyView>> ListKeysAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<List<ApiKeyView>>("api/keys", cancellationToken))!;

    /// <returns>Null when there is no such key the caller manages.</returns>
    public async Task<ApiKeyView?> RevokeKeyAsync(Guid id, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync($"api/keys/{id:D}/revoke", content: null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<ApiKeyView>(cancellationToken);
    }

    public Task<(StudioView? Created, IDictionary<string, string[]> Errors)> CreateStudioAsync(StudioRequest request, CancellationToken cancellationToken) =>
        PostAsync<StudioRequest, StudioView>("api/studios", request, cancellationToken);

    public async Task<IReadOnlyList<StudioView>> ListStudiosAsync(CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<List<StudioView>>("api/studios", cancellationToken))!;

    public void Dispose() => http.Dispose();

    private async Task<(TResult? Created, IDictionary<string, string[]> Errors)> PostAsync<TRequest, TResult>(string path, TRequest request, CancellationToken cancellationToken)
        where TResult : class
    {
        using var response = await http.PostAsJsonAsync(path, request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>(cancellationToken);
            return (null, problem?.Errors ?? new Dictionary<string, string[]> { ["request"] = [problem?.Title ?? "rejected"] });
        }

        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<TResult>(cancellationToken), new Dictionary<string, string[]>());
    }
}
