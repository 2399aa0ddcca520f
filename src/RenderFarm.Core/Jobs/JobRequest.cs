namespace RenderFarm.Core.Jobs;

/// <summary>What a client submits: prompts and parameters. Omitted parameters take the model's defaults.</summary>
public sealed record JobRequest
{
    public List<string>? Prompts { get; init; }
    public int? Count { get; init; }
    public string? NegativePrompt { get; init; }
    public string? Model { get; init; }
    public int? Width { get; init; }
    public int? Height { get; init; }
    public int? Steps { get; init; }
    public double? Guidance { get; init; }
    public long? Seed { get; init; }
    public string? Priority { get; init; }
    public string? Format { get; init; }

    /// <summary>Labels the workers rendering this job must have (<c>studio-a</c>, <c>h100</c>, <c>memory&gt;=24g</c>).</summary>
    public List<string>? RequireLabels { get; init; }

    /// <summary>Refuse the job (409) rather than let it wait when no live worker can render it.</summary>
    public bool? RequireWorker { get; init; }

    /// <summary><c>torch-cpu</c> (a seed renders what diffusers/ComfyUI render from it) or <c>renderfarm</c>; omitted takes the model's default.</summary>
    public string? Noise { get; init; }

    /// <summary>When the job is needed by (an instant); the answer and the job view say whether it will make it.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Refuse the job (409, with the estimate) rather than accept it when it cannot make its deadline.</summary>
    public bool? RequireDeadline { get; init; }

    /// <summary>Take images already rendered with exactly these parameters instead of rendering them again (default true).</summary>
    public bool? Reuse { get; init; }

    /// <summary>An http(s) address the coordinator POSTs the job's summary to when it finishes.</summary>
    public string? Webhook { get; init; }

    /// <summary>The key the summary is signed with (HMAC-SHA256), 16 to 256 characters; required with a webhook.</summary>
    public string? WebhookSecret { get; init; }
}
