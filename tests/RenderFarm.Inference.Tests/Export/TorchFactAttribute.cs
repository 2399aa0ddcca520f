namespace RenderFarm.Inference.Tests.Export;

/// <summary>A fact that runs tools/export-onnx under Debian's python3-torch: skipped, saying why, only where that is missing.</summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        Skip = DebianPython.WhyUnavailable;
    }
}
