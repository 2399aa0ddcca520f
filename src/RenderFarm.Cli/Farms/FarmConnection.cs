namespace RenderFarm.Cli.Farms;

/// <summary>Which farm a command talks to: a coordinator's URL (and the key to show it), or the embedded farm with its folders.</summary>
public sealed record FarmConnection(Uri? Server, string? DataDirectory, string? ModelsDirectory, string? ApiKey = null);
