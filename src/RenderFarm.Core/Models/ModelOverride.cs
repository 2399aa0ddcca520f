using System.ComponentModel.DataAnnotations;

namespace RenderFarm.Core.Models;

/// <summary>
/// An operator's word on one model (an entry of <c>Models:Available</c>): what it sets replaces what workers advertise,
/// the rest comes from them. A model named here is known even while no worker serves it, so jobs for it are accepted
/// and wait.
/// </summary>
public sealed class ModelOverride
{
    [Required, RegularExpression("^[a-z0-9][a-z0-9._-]{0,63}$", ErrorMessage = "Model names are lowercase letters, digits, '.', '_' and '-' (they name queues).")]
    public string Name { get; set; } = "";

    [Range(1, 256)]
    public int? SizeMultiple { get; set; }

    [Range(8, 8192)]
    public int? MinSize { get; set; }

    [Range(8, 8192)]
    public int? MaxSize { get; set; }

    [Range(8, 8192)]
    public int? DefaultWidth { get; set; }

    [Range(8, 8192)]
    public int? DefaultHeight { get; set; }

    [Range(1, 1000)]
    public int? DefaultSteps { get; set; }

    [Range(0.0, 100.0)]
    public double? DefaultGuidance { get; set; }

    /// <summary>Other names jobs may use for this model.</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>Labels every worker rendering this model must have (see <see cref="Workers.WorkerLabels"/>).</summary>
    public List<string> RequireLabels { get; set; } = [];
}
