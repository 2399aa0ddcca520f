using System.Globalization;
using System.Text.RegularExpressions;

namespace RenderFarm.Core.Workers;

/// <summary>
/// Label requirements: a plain label (<c>studio-a</c>, <c>cuda</c>, <c>h100</c>) must be one of the worker's labels;
/// <c>memory&gt;=24g</c> asks for at least that much device memory, which a worker reports as a number, not a label.
/// </summary>
public static partial class WorkerLabels
{
    public const string Pattern = "^[a-z0-9][a-z0-9._:-]{0,63}$";

    public static bool IsValidLabel(string label) => LabelRegex().IsMatch(label);

    public static bool IsValidRequirement(string requirement) => IsValidLabel(requirement) || MemoryRegex().IsMatch(requirement);

    public static bool Satisfies(WorkerRecord worker, IEnumerable<string> requirements)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(requirements);
        foreach (var requirement in requirements)
        {
            if (MemoryRegex().Match(requirement) is { Success: true } memory)
            {
                var gib = long.Parse(memory.Groups[1].Value, CultureInfo.InvariantCulture);
                if (worker.DeviceMemoryBytes is not { } bytes || bytes < gib << 30)
                {
                    return false;
                }
            }
            else if (!worker.Labels.Contains(requirement, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether <paramref name="worker"/> serves <paramref name="model"/> and meets <paramref name="requirements"/>.</summary>
    public static bool Serves(WorkerRecord worker, string model, IEnumerable<string> requirements) =>
        worker.Models.Contains(model, StringComparer.Ordinal) && Satisfies(worker, requirements);

    /// <summary>A requirement set in one canonical order, without repeats (the dispatcher groups jobs by it).</summary>
    public static List<string> Normalize(IEnumerable<string>? labels) =>
        [.. (labels ?? []).Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    [GeneratedRegex(Pattern)]
    private static partial Regex LabelRegex();

    [GeneratedRegex("^memory>=([0-9]{1,5})g$")]
    private static partial Regex MemoryRegex();
}
