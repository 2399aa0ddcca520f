using System.Net.ServerSentEvents;
using System.Text.Json;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>A client of <c>GET /api/events</c> that keeps what it received.</summary>
public sealed class EventStream : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;

    private EventStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items)
    {
        _response = response;
        _items = items;
    }

    public List<(string Type, JsonElement Data)> Received { get; } = [];

    /// <summary>Returns once the server said "ready": from then on this stream hears every event.</summary>
    public static async Task<EventStream> OpenAsync(HttpClient client, Guid? jobId, CancellationToken cancellationToken)
    {
        var response = await client.GetAsync(jobId is null ? "/api/events" : $"/api/events?jobId={jobId:D}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var items = SseParser.Create(await response.Content.ReadAsStreamAsync(cancellationToken)).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        var stream = new EventStream(response, items);
        var ready = await stream.ReadAsync(e => e.Type == "ready", 1, cancellationToken);
        Assert.NotEmpty(ready);
        return stream;
    }

    /// <summary>Reads on until <paramref name="count"/> events match, and returns those.</summary>
    public async Task<List<(string Type, JsonElement Data)>> ReadAsync(Func<(string Type, JsonElement Data), bool> match, int count, CancellationToken cancellationToken)
    {
        var found = Received.Where(match).ToList();
        while (found.Count < count)
        {
            Assert.True(await _items.MoveNextAsync(), "The event stream ended.");
            cancellationToken.ThrowIfCancellationRequested();
            var item = (_items.Current.EventType, JsonDocument.Parse(_items.Current.Data).RootElement.Clone());
            Received.Add(item);
            if (match(item))
            {
                found.Add(item);
            }
        }

        return found;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _items.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
        }

        _response.Dispose();
    }
}
