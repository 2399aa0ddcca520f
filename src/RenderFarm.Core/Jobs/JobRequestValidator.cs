using RenderFarm.Core.Generation;
using RenderFarm.Core.Imaging;
using RenderFarm.Core.Models;
using RenderFarm.Core.Workers;

namespace RenderFarm.Core.Jobs;

/// <summary>Checks a <see cref="JobRequest"/> against the model catalog and the job limits, naming every bad field.</summary>
public sealed class JobRequestValidator(ModelCatalog models, JobLimitsOptions limits)
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

        var model = models.Find(request.Model)?.Definition;
        if (model is null)
        {
            Add("model", models.Models.Count == 0
                ? $"Unknown model '{request.Model}': no worker has advertised a model yet and none is configured."
                : $"Unknown model '{request.Model}'. Available: {string.Join(", ", models.Models.Select(m => m.Name))}.");
        }

        // Without a model there are no defaults: only what the caller sent is checked, so the model is the one error.
        var width = request.Width ?? model?.DefaultWidth;
        var height = request.Height ?? model?.DefaultHeight;
        if (model is not null)
        {
            CheckSize("width", width!.Value, model, Add);
            CheckSize("height", height!.Value, model, Add);
        }
        else
        {
            CheckSize("width", width, Add);
            CheckSize("height", height, Add);
        }

        var steps = request.Steps ?? model?.DefaultSteps;
        if (steps is { } s && (s < 1 || s > limits.MaxSteps))
        {
            Add("steps", $"Steps must be between 1 and {limits.MaxSteps}.");
        }

        var guidance = request.Guidance ?? model?.DefaultGuidance;
        if (guidance is { } g && (!double.IsFinite(g) || g < 0 || g > limits.MaxGuidance))
        {
            Add("guidance", $"Guidance must be between 0 and {limits.MaxGuidance}.");
        }

        var requireLabels = request.RequireLabels ?? [];
        for (var i = 0; i < requireLabels.Count; i++)
        {
            if (requireLabels[i] is null || !WorkerLabels.IsValidRequirement(requireLabels[i]))
            {
                Add($"requireLabels[{i}]", "A label is lowercase letters, digits, '.', '_', ':' and '-' (at most 64), or memory>=Ng.");
            }
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

        CheckWebhook(request, Add);
        if (request.RequireDeadline == true && request.Deadline is null)
        {
            Add("requireDeadline", "requireDeadline needs a deadline to hold the job to.");
        }

        errors = problems.ToDictionary(p => p.Key, p => p.Value.ToArray());
        if (errors.Count > 0)
        {
            return null;
        }

        return new JobSpec(prompts, count, negative, model!.Name, width!.Value, height!.Value, steps!.Value, guidance!.Value, request.Seed ?? Seeds.Random(), priority, format, request.Noise)
        {
            RequiredLabels = WorkerLabels.Normalize(requireLabels.Concat(model.RequireLabels)),
        };
    }

    /// <summary>A size given for an unknown model can still be nonsense on its own.</summary>
    private static void CheckSize(string field, int? value, Action<string, string> add)
    {
        if (value is < 8 or > 8192)
        {
            add(field, $"The {field} must be between 8 and 8192.");
        }
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

    /// <summary>Where the job's summary goes and what signs it. Whether the address may be reached is the sender's call, when it sends.</summary>
    private static void CheckWebhook(JobRequest request, Action<string, string> add)
    {
        if (request.Webhook is null)
        {
            if (request.WebhookSecret is not null)
            {
                add("webhookSecret", "A webhook secret without a webhook signs nothing; name the webhook too.");
            }

            return;
        }

        if (request.Webhook.Length > 2000 || ControlCharacters.Check(request.Webhook) is not null
            || !Uri.TryCreate(request.Webhook, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || !string.IsNullOrEmpty(uri.UserInfo))
        {
            add("webhook", "The webhook must be an absolute http(s) address of at most 2000 characters, without credentials in it.");
        }

        if (request.WebhookSecret is not { Length: >= 16 and <= 256 } secret || ControlCharacters.Check(secret) is not null || secret.Contains('\t') || secret.Contains('\n'))
        {
            add("webhookSecret", "A webhook needs a secret of 16 to 256 printable characters to sign its calls with.");
        }
    }
}
