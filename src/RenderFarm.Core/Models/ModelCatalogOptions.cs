using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Core.Models;

/// <summary>The models the coordinator accepts jobs for (section <c>Models</c>).</summary>
public sealed class ModelCatalogOptions : IValidatableObject
{
    public const string SectionName = "Models";

    /// <summary>The model a job gets when it names none; the first of <see cref="Available"/> when empty.</summary>
    public string? Default { get; set; }

    [MinLength(1, ErrorMessage = "Configure at least one model under Models:Available.")]
    public List<ModelDefinition> Available { get; set; } = [];

    public ModelDefinition? Find(string? name) =>
        Available.Find(m => string.Equals(m.Name, name ?? Default ?? Available.FirstOrDefault()?.Name, StringComparison.Ordinal));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
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
        }

        if (Default is not null && !Available.Exists(m => m.Name == Default))
        {
            yield return new ValidationResult($"Models:Default '{Default}' is not one of Models:Available.", [nameof(Default)]);
        }

        foreach (var duplicate in Available.GroupBy(m => m.Name).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult($"Models:Available names '{duplicate.Key}' more than once.");
        }
    }
}
