namespace RenderFarm.Contracts;

/// <summary>
/// Command to render one image of a job. Carries everything a worker needs, so workers never read the job, and where
/// to put the result, so workers hold no storage credentials.
/// </summary>
public sealed record RenderImage
{
    public required Guid JobId { get; init; }
    public required Guid ImageId { get; init; }
    public required int Index { get; init; }
    public required string Prompt { get; init; }
    public string NegativePrompt { get; init; } = "";
    public required long Seed { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required int Steps { get; init; }
    public required double Guidance { get; init; }
    public required string Model { get; init; }
    public string Format { get; init; } = "png";

    /// <summary>The initial noise the job asked for (<c>torch-cpu</c> or <c>renderfarm</c>); null takes the model's default.</summary>
    public string? Noise { get; init; }
    public required int Attempt { get; init; }

    /// <summary>The job's priority (higher first): a worker takes the images it holds in this order too.</summary>
    public int Priority { get; init; }

    /// <summary>The studio that owns the job: a worker serves studios by their shares before priorities and jobs.</summary>
    public Guid? StudioId { get; init; }

    /// <summary>The studio's weight in the fair share between studios (at least 1).</summary>
    public int StudioShare { get; init; } = 1;

    /// <summary>The job's deadline when it was at risk of missing it at dispatch: a worker serves it first within its priority.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>
    /// Sent in its job's last dispatch round: nothing of the job is left to dispatch, so the job now waits only on
    /// images like this one. A worker renders them without waiting for other jobs' images where its engine would not
    /// render the fuller batch cheaper per image.
    /// </summary>
    public bool JobTail { get; init; }

    /// <summary>The image's key in the farm's image store.</summary>
    public required string ObjectKey { get; init; }

    /// <summary>
    /// A short-lived presigned PUT address for <see cref="ObjectKey"/>, issued anew on every dispatch. Null only in the
    /// embedded mode, where the worker writes to the store of its own process.
    /// </summary>
    public Uri? UploadUrl { get; init; }
}
