using RenderFarm.Core.Jobs;

namespace RenderFarm.UnitTests.Jobs;

public sealed class SeedsTests
{
    [Theory]
    [InlineData(42L, 0, 42L)]
    [InlineData(42L, 7, 49L)]
    [InlineData(4294967295L, 1, 0L)]
    [InlineData(4294967290L, 10, 4L)]
    public void Image_seed_is_job_seed_plus_index_wrapping_at_2_pow_32(long jobSeed, int index, long expected) =>
        Assert.Equal(expected, Seeds.ForImage(jobSeed, index));

    [Fact]
    public void Random_seeds_stay_in_the_unsigned_32_bit_range()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.InRange(Seeds.Random(), 0, uint.MaxValue);
        }
    }
}
