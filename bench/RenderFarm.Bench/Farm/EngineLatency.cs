namespace RenderFarm.Bench.Farm;

/// <summary>How a fake engine's time grows with its batch; see <see cref="EngineSpec"/>.</summary>
public enum EngineLatency
{
    Zero,
    PerImage,
    PerBatch,
    Fails,
}
