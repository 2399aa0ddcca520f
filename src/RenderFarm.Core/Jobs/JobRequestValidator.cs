using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Models;

namespace RenderFarm.Core.Jobs;

/// <summary>Checks a <see cref="JobRequest"/> against the model catalog and the job limits, naming every bad field.</summary>
public sealed class JobRequestValidator(ModelCatalogOptions models, JobLimitsOptions limits)
{
    /// <summary>Returns the spec, or null with <paramref name="errors"/> keyed by the JSON field name.</summary>
    public JobSpec? Validate(JobRequest request, out Dictionary<string, string[]> errors)
    {
        var problems = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!problems.TryGetValue(field, out var list))
            {
                problems[field] = list = [];
            }

            list.Add(message);
        }

        var prompts = request.Prompts ?? [];
        if (prompts.Count == 0)
        {
            Add("prompts", "At least one prompt is required.");
        }
        else if (prompts.Count > limits.MaxPromptsPerJob)
        {
            Add("prompts", $"At most {limits.MaxPromptsPerJob} prompts per job.");
        }

        for (var i = 0; i < prompts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(prompts[i]))
            {
                Add($"prompts[{i}]", "A prompt must not be empty.");
            }
            else if (prompts[i].Length > limits.MaxPromptLength)
            {
                Add($"prompts[{i}]", $"A prompt may be at most {limits.MaxPromptLength} characters.");
            }
            else if (ControlCharacters.Check(prompts[i]) is { } refused)
            {
                Add($"prompts[{i}]", refused);
            }
        }

        var negative = request.NegativePrompt ?? "";
        if (negative.Length > limits.MaxPromptLength)
        {
            Add("negativePrompt", $"The negative prompt may be at most {limits.MaxPromptLength} characters.");
        }
        else if (ControlCharacters.Check(negative) is { } refused)
        {
            Add("negativePrompt", refused);
        }

        var count = request.Count ?? 1;
        if (count < 1 || count > limits.MaxCountPerPrompt)
        {
            Add("count", $"Count must be between 1 and {limits.MaxCountPerPrompt}.");
        }
        else if ((long)count * prompts.Count > limits.MaxImagesPerJob)
        {
            Add("count", $"The job asks for {(long)count * prompts.Count} images; at most {limits.MaxImagesPerJob} are allowed per job.");
        }

        var model = models.Find(request.Model);
        if (model is null)
        {
            Add("model", $"Unknown model '{request.Model}'. Available: {string.Join(", ", models.Available.Select(m => m.Name))}.");
        }

        var width = request.Width ?? model?.DefaultWidth ?? 0;
        var height = request.Height ?? model?.DefaultHeight ?? 0;
        if (model is not null)
        {
            CheckSize("width", width, model, Add);
            CheckSize("height", height, model, Add);
        }

        var steps = request.Steps ?? model?.DefaultSteps ?? 0;
        if (steps < 1 || steps > limits.MaxSteps)
        {
            Add("steps", $"Steps must be between 1 and {limits.MaxSteps}.");
        }

        var guidance = request.Guidance ?? model?.DefaultGuidance ?? 0;
        if (!double.IsFinite(guidance) || guidance < 0 || guidance > limits.MaxGuidance)
        {
            Add("guidance", $"Guidance must be between 0 and {limits.MaxGuidance}.");
        }

        if (request.Seed is < 0 or > Seeds.Max)
        {
            Add("seed", $"Seed must be between 0 and {Seeds.Max}.");
        }

        var priority = JobPriority.Normal;
        if (request.Priority is not null && !JobStatusNames.TryParsePriority(request.Priority, out priority))
        {
            Add("priority", "Priority must be one of: high, normal, low.");
        }

        var format = ImageFormat.Png;
        if (request.Format is not null && !ImageFormats.TryParse(request.Format, out format))
        {
            Add("format", "Format must be one of: png, jpeg, webp.");
        }

        if (request.Noise is not null && !NoiseSources.IsKnown(request.Noise))
        {
            Add("noise", $"Noise must be one of: {string.Join(", ", NoiseSources.All)}.");
        }

        errors = problems.ToDictionary(p => p.Key, p => p.Value.ToArray());
        if (errors.Count > 0)
        {
            return null;
        }

        return new JobSpec(prompts, count, negative, model!.Name, width, height, steps, guidance, request.Seed ?? Seeds.Random(), priority, format, request.Noise);
    }

    private static void CheckSize(string field, int value, ModelDefinition model, Action<string, string> add)
    {
        if (value < model.MinSize || value > model.MaxSize)
        {
            add(field, $"The {field} must be between {model.MinSize} and {model.MaxSize} for model '{model.Name}'.");
        }
        else if (value % model.SizeMultiple != 0)
        {
            add(field, $"The {field} must be a multiple of {model.SizeMultiple} for model '{model.Name}'.");
        }
    }
}
