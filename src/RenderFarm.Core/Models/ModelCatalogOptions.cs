using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using RenderFarm.Core.Workers;

namespace RenderFarm.Core.Models;

/// <summary>
/// Section <c>Models</c>: the coordinator's optional word on the catalog, which live workers otherwise make up alone.
/// </summary>
public sealed class ModelCatalogOptions : IValidatableObject
{
    public const string SectionName = "Models";

    /// <summary>The model a job gets when it names none; when unset, the first of <see cref="Available"/>, or else the first model workers advertise, by name.</summary>
    public string? Default { get; set; }

    /// <summary>Overrides and aliases; a model listed here is known without a worker.</summary>
    public List<ModelOverride> Available { get; set; } = [];

    /// <summary>How long a model stays listed after its last worker was seen (a worker restarting should not make jobs fail).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromMinutes(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var names = Available.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var model in Available)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(model, new ValidationContext(model), results, validateAllProperties: true);
            foreach (var result in results)
            {
                yield return new ValidationResult($"Models:Available '{model.Name}': {result.ErrorMessage}", result.MemberNames);
            }

            if (model.MinSize > model.MaxSize)
            {
                yield return new ValidationResult($"Models:Available '{model.Name}': MinSize must not exceed MaxSize.");
            }

            foreach (var alias in model.Aliases.Where(a => !Regex.IsMatch(a, "^[a-z0-9][a-z0-9._-]{0,63}$") || names.Contains(a)))
            {
                yield return new ValidationResult($"Models:Available '{model.Name}': alias '{alias}' is not a valid model name or names another model.");
            }

            foreach (var label in model.RequireLabels.Where(l => !WorkerLabels.IsValidRequirement(l)))
            {
                yield return new ValidationResult($"Models:Available '{model.Name}': '{label}' is not a label (lowercase letters, digits, '.', '_', ':', '-') or memory>=Ng.");
            }
        }

        foreach (var duplicate in Available.SelectMany(m => m.Aliases.Append(m.Name)).GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"Models:Available names '{duplicate.Key}' more than once.");
        }
    }
}
