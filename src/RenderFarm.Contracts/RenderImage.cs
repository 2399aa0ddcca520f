namespace RenderFarm.Contracts;

/// <summary>Command to render one image of a job. Carries everything a worker needs, so workers never read the job.</summary>
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
    public required int Attempt { get; init; }
}
