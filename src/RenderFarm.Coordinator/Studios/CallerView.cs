namespace RenderFarm.Coordinator.Studios;

/// <summary>Who the web UI (or a script) is signed in as.</summary>
public sealed record CallerView(Guid StudioId, string Studio, string Role, string Actor);
