namespace RenderFarm.Core.Storage;

/// <summary>An object in the image store, as a listing gives it.</summary>
public sealed record StoredObject(string Key, DateTimeOffset LastModified);
