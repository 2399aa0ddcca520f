namespace RenderFarm.Worker.Rendering;

/// <summary>Tells whether the object store behind an upload address answers again, without credentials and without writing.</summary>
public interface IStoreProbe
{
    Task<bool> IsReachableAsync(Uri uploadAddress, CancellationToken cancellationToken);
}
