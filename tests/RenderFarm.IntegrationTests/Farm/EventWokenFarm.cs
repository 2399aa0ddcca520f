using RenderFarm.IntegrationTests.Engines;

namespace RenderFarm.IntegrationTests.Farm;

/// <summary>
/// One coordinator and one fast worker for the APIs that wait for their job (OpenAI, A1111): rechecks are set far
/// beyond the timeout, so every answer these tests get was woken by the job's image events.
/// </summary>
public sealed class EventWokenFarm : IAsyncLifetime
{
    public TestFarm Farm { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var model = TestFarm.NewModelName();
        Farm = await TestFarm.StartAsync(
            model, coordinators: 1, [new TestPatternImageGenerator(model, TimeSpan.FromMilliseconds(10))],
            new Dictionary<string, string?> { ["SynchronousJobs:RecheckInterval"] = "00:10:00" });
    }

    public async Task DisposeAsync() => await Farm.DisposeAsync();
}
