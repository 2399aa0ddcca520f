using RenderFarm.Core.Schedules;

namespace RenderFarm.UnitTests.Schedules;

public sealed class FiringPromptsTests
{
    private static Schedule Daily(string zone = "Europe/Berlin") => new()
    {
        Id = Guid.Parse("0193a3b4-7a52-7c1e-9a31-3f4d5e6a7b8c"),
        Cron = "0 0 7 * * ?",
        TimeZone = zone,
        PromptTemplates = ["a watercolor of {city} in {season}, {date:dddd} {time}", "no. {counter}: a {red|green|blue} door"],
        Variations = 2,
        Lists = new() { ["city"] = ["Berlin", "Lisbon", "Kyoto", "Lima", "Oslo", "Accra", "Quito", "Hanoi"] },
    };

    [Fact]
    public void Dates_are_read_in_the_schedules_zone_including_daylight_saving_time()
    {
        // 05:00 UTC is 07:00 in Berlin in summer (CEST, +2); 06:00 UTC is 07:00 in winter (CET, +1).
        var summer = FiringPrompts.Expand(Daily(), new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero), counter: 3);
        var winter = FiringPrompts.Expand(Daily(), new DateTimeOffset(2026, 1, 15, 6, 0, 0, TimeSpan.Zero), counter: 4);

        Assert.Equal(4, summer.Count);
        Assert.All(summer.Take(2), p => Assert.EndsWith(" in summer, Wednesday 07:00", p, StringComparison.Ordinal));
        Assert.All(winter.Take(2), p => Assert.EndsWith(" in winter, Thursday 07:00", p, StringComparison.Ordinal));
        Assert.All(summer.Skip(2), p => Assert.StartsWith("no. 3: a ", p, StringComparison.Ordinal));
        Assert.All(winter.Skip(2), p => Assert.StartsWith("no. 4: a ", p, StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_firing_expands_the_same_way_and_other_firings_differ()
    {
        var at = new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero);

        var first = FiringPrompts.Expand(Daily(), at, counter: 1);
        Assert.Equal(first, FiringPrompts.Expand(Daily(), at, counter: 1));
        // Only the time the schedule stands for matters, not the offset it is written in.
        Assert.Equal(first, FiringPrompts.Expand(Daily(), at.ToOffset(TimeSpan.FromHours(9)), counter: 1));

        var cities = Enumerable.Range(0, 30)
            .Select(day => FiringPrompts.Expand(Daily(), at.AddDays(day), counter: 1)[0].Split(" in ")[0])
            .ToHashSet();
        Assert.True(cities.Count > 3, string.Join(", ", cities));
    }

    [Fact]
    public void Variations_of_one_template_pick_independently()
    {
        var at = new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero);
        var schedule = Daily();
        schedule.PromptTemplates = ["{city} {city} {city}"];
        schedule.Variations = 10;

        var prompts = FiringPrompts.Expand(schedule, at, counter: 1);

        Assert.Equal(10, prompts.Count);
        Assert.True(prompts.ToHashSet().Count > 1, string.Join(" / ", prompts));
    }

    [Fact]
    public void Firing_seeds_differ_between_schedules_and_between_times_and_job_seeds_fit_32_bits()
    {
        var at = new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero);
        var a = FiringSeeds.For(Guid.Parse("0193a3b4-7a52-7c1e-9a31-3f4d5e6a7b8c"), at);

        Assert.NotEqual(a, FiringSeeds.For(Guid.Parse("0193a3b4-7a52-7c1e-9a31-3f4d5e6a7b8d"), at));
        Assert.NotEqual(a, FiringSeeds.For(Guid.Parse("0193a3b4-7a52-7c1e-9a31-3f4d5e6a7b8c"), at.AddMilliseconds(1)));
        Assert.InRange(FiringSeeds.JobSeed(ulong.MaxValue), 0, uint.MaxValue);
    }
}
