using RenderFarm.Worker.Rendering;

namespace RenderFarm.UnitTests.Rendering;

public sealed class EngineBatchTimesTests
{
    private const string Key = "m|64x64|2|0|";

    private static EngineBatchTimes Measured(params (int Images, double Milliseconds)[] calls)
    {
        var times = new EngineBatchTimes();
        foreach (var (images, milliseconds) in calls)
        {
            times.Add(Key, images, TimeSpan.FromMilliseconds(milliseconds));
        }

        return times;
    }

    [Fact]
    public void Topping_up_pays_where_the_added_images_cost_less_than_their_share_of_the_bigger_batch()
    {
        // A GPU with room to spare: a fixed cost per call and a little per image.
        Assert.True(Measured((1, 300), (4, 450)).ToppingUpPays(Key, 1, 4));
        Assert.True(Measured((2, 100), (4, 100)).ToppingUpPays(Key, 2, 4));

        // An engine whose time grows with the batch, give or take a few per cent of noise.
        Assert.False(Measured((2, 100), (4, 200)).ToppingUpPays(Key, 2, 4));
        Assert.False(Measured((2, 104), (4, 200)).ToppingUpPays(Key, 2, 4));
        Assert.False(Measured((1, 50), (4, 190)).ToppingUpPays(Key, 1, 4));

        // A near-zero engine: whatever the ratio, the wait is nothing next to a batch's cost outside the engine.
        Assert.True(Measured((2, 0.2), (4, 0.4)).ToppingUpPays(Key, 2, 4));
        Assert.True(Measured((1, 1), (4, 4)).ToppingUpPays(Key, 1, 4));
        Assert.False(Measured((1, 10), (4, 40)).ToppingUpPays(Key, 1, 4));
    }

    [Fact]
    public void An_unmeasured_bigger_batch_is_tried_and_an_unmeasured_smaller_one_goes_alone_once()
    {
        Assert.True(Measured().ToppingUpPays(Key, 2, 4));
        Assert.True(Measured((2, 100)).ToppingUpPays(Key, 2, 4));
        Assert.False(Measured((4, 200)).ToppingUpPays(Key, 2, 4));
        Assert.True(Measured((4, 200), (2, 190)).ToppingUpPays(Key, 2, 4));
    }

    [Fact]
    public void Times_are_per_kind_of_batch_and_follow_the_engine_as_it_changes()
    {
        var times = Measured((2, 100), (4, 200));
        Assert.True(times.ToppingUpPays("other|64x64|2|0|", 2, 4));

        // The engine has become cheaper at four (another process left the GPU): a few batches and topping up pays.
        for (var i = 0; i < 10; i++)
        {
            times.Add(Key, 4, TimeSpan.FromMilliseconds(110));
        }

        Assert.True(times.ToppingUpPays(Key, 2, 4));
    }
}
