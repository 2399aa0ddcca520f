using System.Net;

namespace RenderFarm.Cli.Farms;

/// <summary>A coordinator's answer: the value, or the status and what its problem details said.</summary>
public sealed record RemoteResult<T>(T? Value, HttpStatusCode Status, string? Problem)
    where T : class;
