using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

/// <summary>The engine pace a worker reports, and the one moment it is first known (the heartbeat says it at once).</summary>
public sealed class RenderStatisticsTests
{
    [Fact]
    public void The_first_engine_call_is_announced_once_and_later_calls_average_in()
    {
        var statistics = new RenderStatistics();
        var announced = 0;
        statistics.FirstEngineCall += () => announced++;

        Assert.Null(statistics.EngineMillisecondsPerImage);
        statistics.AddEngineCall(4, TimeSpan.FromMilliseconds(400));
        Assert.Equal((1, 100.0), (announced, statistics.EngineMillisecondsPerImage));

        statistics.AddEngineCall(4, TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, announced);
        Assert.Equal(90.0, statistics.EngineMillisecondsPerImage!.Value, precision: 9);
    }
}
