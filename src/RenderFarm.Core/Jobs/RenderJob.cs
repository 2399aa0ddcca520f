using RenderFarm.Core.Images;

namespace RenderFarm.Core.Jobs;

/// <summary>A submitted prompt job: its parameters and lifecycle. Each image it asks for is a <see cref="JobImage"/> row.</summary>
public sealed class RenderJob
{
    public Guid Id { get; set; }
    public JobStatus Status { get; set; }
    public JobPriority Priority { get; set; }
    public List<string> Prompts { get; set; } = [];
    public int CountPerPrompt { get; set; }
    public string NegativePrompt { get; set; } = "";
    public string Model { get; set; } = "";
    public int Width { get; set; }
    public int Height { get; set; }
    public int Steps { get; set; }
    public double Guidance { get; set; }
    public long Seed { get; set; }
    public string Format { get; set; } = "png";

    /// <summary>Labels a worker must have to render this job: the job's own and its model's (see <see cref="Workers.WorkerLabels"/>).</summary>
    public List<string> RequiredLabels { get; set; } = [];

    /// <summary>The initial noise asked for (<c>torch-cpu</c>, <c>renderfarm</c>), or null for the model's default.</summary>
    public string? Noise { get; set; }
    public int ImageCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>When the dispatcher last sent one of this job's images; jobs of one priority take turns oldest-first.</summary>
    public DateTimeOffset? LastDispatchedAt { get; set; }

    /// <summary>The schedule that submitted this job, or null for a job a client submitted.</summary>
    public Guid? ScheduleId { get; set; }

    /// <summary>The schedule's fire time this job is for (the moment run-now was asked, for a manual firing).</summary>
    public DateTimeOffset? ScheduledFor { get; set; }

    /// <summary>The studio that owns the job; null for jobs of the embedded mode and from before studios.</summary>
    public Guid? StudioId { get; set; }

    /// <summary>When the studio needs the job done by; the dispatcher serves jobs at risk of missing it first.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>Where to POST the summary when the job finishes; null for none.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The webhook's signing secret, encrypted at rest (data protection), never shown.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>
    /// The W3C <c>traceparent</c> of the request that submitted the job: the dispatcher sends its images later, from a
    /// loop of its own, as children of it, so one trace follows an image from submission to its recording.
    /// </summary>
    public string? TraceParent { get; set; }

    public List<JobImage> Images { get; set; } = [];
}
