using System.CommandLine;
using RenderFarm.Core.Jobs;

namespace RenderFarm.Cli.Commands;

/// <summary>The job parameters every command that submits work takes (the seed is each command's own: its meaning differs).</summary>
internal sealed class JobOptions
{
    private readonly Option<int> _count = new("--count", "-n") { Description = "Images per prompt.", DefaultValueFactory = _ => 1 };
    private readonly Option<string?> _negative = new("--negative") { Description = "Negative prompt." };
    private readonly Option<string?> _model = new("--model", "-m") { Description = "Model name (default: the farm's default model)." };
    private readonly Option<int?> _width = new("--width", "-W") { Description = "Width in pixels (default: the model's)." };
    private readonly Option<int?> _height = new("--height", "-H") { Description = "Height in pixels (default: the model's)." };
    private readonly Option<int?> _steps = new("--steps") { Description = "Denoising steps (default: the model's)." };
    private readonly Option<double?> _guidance = new("--guidance", "--cfg") { Description = "Classifier-free guidance scale (default: the model's)." };
    private readonly Option<string?> _priority = new("--priority") { Description = "high, normal or low." };
    private readonly Option<string?> _format = new("--format") { Description = "png (default), jpeg or webp." };
    private readonly Option<string?> _noise = new("--noise") { Description = "torch-cpu (a seed gives diffusers' and ComfyUI's image) or renderfarm (default: the model's)." };

    private readonly Option<DateTimeOffset?> _deadline = new("--deadline") { Description = "When the images are needed by (ISO 8601, e.g. 2026-12-03T09:00:00Z): the farm estimates whether it will make it." };
    private readonly Option<bool> _noReuse = new("--no-reuse") { Description = "Render every image even when the farm already has it." };

    public IEnumerable<Option> All => [_count, _negative, _model, _width, _height, _steps, _guidance, _priority, _format, _noise, _deadline, _noReuse];

    /// <summary>The job these options describe, without prompts.</summary>
    public JobRequest Read(ParseResult parse, long? seed) => new()
    {
        Count = parse.GetValue(_count),
        NegativePrompt = parse.GetValue(_negative),
        Model = parse.GetValue(_model),
        Width = parse.GetValue(_width),
        Height = parse.GetValue(_height),
        Steps = parse.GetValue(_steps),
        Guidance = parse.GetValue(_guidance),
        Seed = seed,
        Priority = parse.GetValue(_priority),
        Format = parse.GetValue(_format),
        Noise = parse.GetValue(_noise),
        Deadline = parse.GetValue(_deadline),
        Reuse = parse.GetValue(_noReuse) ? false : null,
    };
}
