using System.Globalization;
using System.Text;

namespace RenderFarm.Core.Schedules;

/// <summary>
/// Expands prompt templates: <c>{date:yyyy-MM-dd}</c>, <c>{date:dddd}</c>, <c>{time:HH:mm}</c> (the firing's local time,
/// .NET custom format strings, invariant culture), <c>{season}</c>, <c>{counter}</c> or <c>{counter:D3}</c>,
/// choices <c>{red|green|blue}</c> and named lists <c>{city}</c>. <c>{{</c> and <c>}}</c> are literal braces.
/// Picks are taken in order from the context's seed, so one seed always gives one expansion.
/// </summary>
public static class PromptTemplate
{
    public static readonly IReadOnlyList<string> Variables = ["date", "time", "season", "counter"];

    /// <exception cref="PromptTemplateException">The template is malformed or names something that does not exist.</exception>
    public static string Expand(string template, PromptTemplateContext context, IReadOnlyDictionary<string, List<string>> lists)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(lists);

        var state = context.Seed;
        var result = new StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{')
            {
                result.Append('{');
                i++;
            }
            else if (c == '}' && i + 1 < template.Length && template[i + 1] == '}')
            {
                result.Append('}');
                i++;
            }
            else if (c == '}')
            {
                throw new PromptTemplateException($"Unmatched '}}' at position {i + 1}; write '}}}}' for a literal brace.");
            }
            else if (c == '{')
            {
                var end = template.IndexOf('}', i + 1);
                var nested = template.IndexOf('{', i + 1);
                if (end < 0 || (nested >= 0 && nested < end))
                {
                    throw new PromptTemplateException($"The '{{' at position {i + 1} is not closed; write '{{{{' for a literal brace.");
                }

                result.Append(ExpandPlaceholder(template[(i + 1)..end], context, lists, ref state));
                i = end;
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }

    private static string ExpandPlaceholder(string placeholder, PromptTemplateContext context, IReadOnlyDictionary<string, List<string>> lists, ref ulong state)
    {
        if (placeholder.Contains('|', StringComparison.Ordinal))
        {
            var choices = placeholder.Split('|');
            if (choices.Any(string.IsNullOrWhiteSpace))
            {
                throw new PromptTemplateException($"The choice {{{placeholder}}} has an empty option.");
            }

            return choices[SplitMix64.NextIndex(ref state, choices.Length)];
        }

        var colon = placeholder.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? placeholder : placeholder[..colon]).Trim();
        var format = colon < 0 ? null : placeholder[(colon + 1)..];
        if (format is { Length: 0 })
        {
            throw new PromptTemplateException($"{{{placeholder}}} has an empty format after ':'.");
        }

        switch (name)
        {
            case "date":
                return FormatTime(placeholder, context.LocalTime, format ?? "yyyy-MM-dd");
            case "time":
                return FormatTime(placeholder, context.LocalTime, format ?? "HH:mm");
            case "season":
                NoFormat(placeholder, name, format);
                return Seasons.Of(context.LocalTime);
            case "counter":
                try
                {
                    return context.Counter.ToString(format, CultureInfo.InvariantCulture);
                }
                catch (FormatException e)
                {
                    throw new PromptTemplateException($"{{{placeholder}}}: '{format}' is not a number format ({e.Message}).", e);
                }
        }

        if (name.Length == 0)
        {
            throw new PromptTemplateException("An empty placeholder {} names nothing; write '{{}}' for literal braces.");
        }

        if (!lists.TryGetValue(name, out var list))
        {
            var known = Variables.Concat(lists.Keys.Order(StringComparer.Ordinal));
            throw new PromptTemplateException($"Unknown variable or list '{{{name}}}'. Known: {string.Join(", ", known)}.");
        }

        NoFormat(placeholder, name, format);
        if (list.Count == 0)
        {
            throw new PromptTemplateException($"The list '{name}' is empty.");
        }

        return list[SplitMix64.NextIndex(ref state, list.Count)];
    }

    private static string FormatTime(string placeholder, DateTime time, string format)
    {
        try
        {
            return time.ToString(format, CultureInfo.InvariantCulture);
        }
        catch (FormatException e)
        {
            throw new PromptTemplateException($"{{{placeholder}}}: '{format}' is not a date/time format ({e.Message}).", e);
        }
    }

    private static void NoFormat(string placeholder, string name, string? format)
    {
        if (format is not null)
        {
            throw new PromptTemplateException($"{{{placeholder}}}: '{name}' takes no format.");
        }
    }
}
