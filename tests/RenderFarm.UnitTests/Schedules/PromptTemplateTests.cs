using RenderFarm.Core.Schedules;

namespace RenderFarm.UnitTests.Schedules;

public sealed class PromptTemplateTests
{
    // Saturday, 14 March 2026, 07:05:09 local time.
    private static readonly DateTime Saturday = new(2026, 3, 14, 7, 5, 9, DateTimeKind.Unspecified);
    private static readonly Dictionary<string, List<string>> NoLists = [];

    private static string Expand(string template, DateTime? time = null, long counter = 1, ulong seed = 0, Dictionary<string, List<string>>? lists = null) =>
        PromptTemplate.Expand(template, new PromptTemplateContext(time ?? Saturday, counter, seed), lists ?? NoLists);

    [Theory]
    [InlineData("{date}", "2026-03-14")]
    [InlineData("{date:yyyy-MM-dd}", "2026-03-14")]
    [InlineData("{date:dddd}", "Saturday")]
    [InlineData("{date:dddd, d MMMM yyyy}", "Saturday, 14 March 2026")]
    [InlineData("{date:HH:mm:ss}", "07:05:09")]
    [InlineData("{time}", "07:05")]
    [InlineData("{time:h tt}", "7 AM")]
    [InlineData("a watercolor on {date:dddd} at {time}", "a watercolor on Saturday at 07:05")]
    public void Dates_and_times_use_the_format_strings_in_the_invariant_culture(string template, string expected) =>
        Assert.Equal(expected, Expand(template));

    [Theory]
    [InlineData(1, "winter")]
    [InlineData(2, "winter")]
    [InlineData(3, "spring")]
    [InlineData(5, "spring")]
    [InlineData(6, "summer")]
    [InlineData(8, "summer")]
    [InlineData(9, "autumn")]
    [InlineData(11, "autumn")]
    [InlineData(12, "winter")]
    public void Season_is_the_meteorological_season_of_the_month(int month, string season) =>
        Assert.Equal($"in {season}", Expand("in {season}", new DateTime(2026, month, 15, 12, 0, 0, DateTimeKind.Unspecified)));

    [Theory]
    [InlineData("{counter}", 42L, "42")]
    [InlineData("day {counter:D4}", 7L, "day 0007")]
    [InlineData("#{counter:N0}", 1234567L, "#1,234,567")]
    public void The_counter_is_the_firing_number_with_an_optional_number_format(string template, long counter, string expected) =>
        Assert.Equal(expected, Expand(template, counter: counter));

    [Fact]
    public void Doubled_braces_are_literal() =>
        Assert.Equal("{not a variable} on 2026-03-14", Expand("{{not a variable}} on {date}"));

    [Fact]
    public void A_choice_picks_one_of_its_options_and_every_option_gets_picked_across_seeds()
    {
        var picks = Enumerable.Range(0, 300).Select(seed => Expand("a {red|green|blue} fox", seed: (ulong)seed * 7919)).ToHashSet();

        Assert.Equal(["a blue fox", "a green fox", "a red fox"], picks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_named_list_picks_one_of_its_items()
    {
        var lists = new Dictionary<string, List<string>> { ["city"] = ["Berlin", "Lisbon", "Kyoto", "Lima"] };

        var picks = Enumerable.Range(0, 300).Select(seed => Expand("a watercolor of {city}", seed: (ulong)seed, lists: lists)).ToHashSet();

        Assert.Equal(lists["city"].Select(c => $"a watercolor of {c}").Order(StringComparer.Ordinal), picks.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_same_seed_expands_the_same_way_and_other_seeds_vary()
    {
        var lists = new Dictionary<string, List<string>> { ["city"] = ["Berlin", "Lisbon", "Kyoto", "Lima", "Oslo", "Accra"] };
        const string template = "{city} in {season}, {a|b|c|d|e|f} {a|b|c|d|e|f} {city}";

        var first = Expand(template, seed: 123456789, lists: lists);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(first, Expand(template, seed: 123456789, lists: lists)));
        var others = Enumerable.Range(1, 20).Select(s => Expand(template, seed: (ulong)s * 1_000_003, lists: lists)).ToHashSet();
        Assert.True(others.Count > 5, string.Join(" / ", others));
    }

    [Theory]
    [InlineData("a {colour} fox", "Unknown variable or list '{colour}'")]
    [InlineData("a {city} at noon", "Unknown variable or list '{city}'")]
    [InlineData("a {red||blue} fox", "empty option")]
    [InlineData("a {|blue} fox", "empty option")]
    [InlineData("a {red| } fox", "empty option")]
    [InlineData("on {date:%}", "not a date/time format")]
    [InlineData("number {counter:Q}", "not a number format")]
    [InlineData("{date:}", "empty format")]
    [InlineData("in {season:upper}", "takes no format")]
    [InlineData("an open {date", "is not closed")]
    [InlineData("nested {date {time}}", "is not closed")]
    [InlineData("a stray } brace", "Unmatched '}'")]
    [InlineData("empty {}", "empty placeholder")]
    public void Templates_that_cannot_be_expanded_say_why(string template, string problem)
    {
        var error = Assert.Throws<PromptTemplateException>(() => Expand(template));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_named_list_is_an_error()
    {
        var error = Assert.Throws<PromptTemplateException>(() => Expand("{city}", lists: new() { ["city"] = [] }));

        Assert.Contains("'city' is empty", error.Message, StringComparison.Ordinal);
    }
}
