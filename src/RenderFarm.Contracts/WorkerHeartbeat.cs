namespace RenderFarm.Contracts;

/// <summary>Periodic liveness report of one worker process (one GPU).</summary>
public sealed record WorkerHeartbeat
{
    public required string WorkerId { get; init; }
    public required string Host { get; init; }
    public required string Device { get; init; }
    public required IReadOnlyList<string> Models { get; init; }
    public required int BatchSize { get; init; }
    public required long ImagesRendered { get; init; }

    /// <summary>Recent engine time per image, from which the coordinator sizes how much work to keep queued for it.</summary>
    public double? EngineMillisecondsPerImage { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset SentAt { get; init; }
}
