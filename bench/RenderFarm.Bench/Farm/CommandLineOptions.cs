using System.Globalization;

namespace RenderFarm.Bench.Farm;

/// <summary><c>--name value</c> pairs (a name may repeat) and bare <c>--flag</c>s; enough for the bench's sub-commands.</summary>
public sealed class CommandLineOptions
{
    private readonly Dictionary<string, List<string>> _values = [];
    private readonly HashSet<string> _flags = [];

    private CommandLineOptions()
    {
    }

    /// <param name="flags">Names that take no value.</param>
    public static CommandLineOptions Parse(IReadOnlyList<string> args, params string[] flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new CommandLineOptions();
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || args[i].Length == 2)
            {
                throw new FormatException($"Unexpected argument '{args[i]}'.");
            }

            var name = args[i][2..];
            if (flags.Contains(name))
            {
                options._flags.Add(name);
                continue;
            }

            if (i + 1 >= args.Count)
            {
                throw new FormatException($"--{name} needs a value.");
            }

            if (!options._values.TryGetValue(name, out var values))
            {
                options._values[name] = values = [];
            }

            values.Add(args[++i]);
        }

        return options;
    }

    /// <summary>Fails on any option not in <paramref name="known"/>, so a typo does not silently run the defaults.</summary>
    public void RejectUnknown(IEnumerable<string> known)
    {
        var unknown = _values.Keys.Concat(_flags).Except(known).ToList();
        if (unknown.Count > 0)
        {
            throw new FormatException($"Unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}.");
        }
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string Required(string name) => Optional(name) ?? throw new FormatException($"--{name} is required.");

    public string? Optional(string name) => _values.TryGetValue(name, out var values) ? values[^1] : null;

    public string Get(string name, string fallback) => Optional(name) ?? fallback;

    public int Number(string name, int fallback, int minimum = 1) => Optional(name) is { } text ? ParseInt(name, text, minimum) : fallback;

    /// <summary>Comma-separated values, from every occurrence of the option; <paramref name="fallback"/> when absent.</summary>
    public IReadOnlyList<string> List(string name, string fallback) =>
        (_values.TryGetValue(name, out var values) ? values : [fallback])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();

    public IReadOnlyList<int> Numbers(string name, string fallback) => [.. List(name, fallback).Select(v => ParseInt(name, v, 1))];

    /// <summary>Every occurrence, uncut (values that may themselves hold commas).</summary>
    public IReadOnlyList<string> All(string name) => _values.TryGetValue(name, out var values) ? values : [];

    private static int ParseInt(string name, string text, int minimum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new FormatException($"--{name}: '{text}' is not a whole number of at least {minimum}.");
}
