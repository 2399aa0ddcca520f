namespace RenderFarm.Core.Models;

/// <summary>One of several different models advertised under one name: its identity and the workers that hold it.</summary>
public sealed record ModelConflict(string Identity, IReadOnlyList<string> Workers);
