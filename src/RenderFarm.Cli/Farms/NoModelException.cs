namespace RenderFarm.Cli.Farms;

/// <summary>The embedded farm has no model to render: the <c>--models</c> folder is missing or holds no model folder.</summary>
public sealed class NoModelException(string message) : Exception(message);
