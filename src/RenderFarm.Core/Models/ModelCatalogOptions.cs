using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Core.Models;

/// <summary>The models the coordinator accepts jobs for (section <c>Models</c>).</summary>
public sealed class ModelCatalogOptions
{
    public const string SectionName = "Models";

    /// <summary>The model a job gets when it names none; the first of <see cref="Available"/> when empty.</summary>
    public string? Default { get; set; }

    [MinLength(1, ErrorMessage = "Configure at least one model under Models:Available.")]
    public List<ModelDefinition> Available { get; set; } = [];

    public ModelDefinition? Find(string? name) =>
        Available.Find(m => string.Equals(m.Name, name ?? Default ?? Available.FirstOrDefault()?.Name, StringComparison.Ordinal));
}
