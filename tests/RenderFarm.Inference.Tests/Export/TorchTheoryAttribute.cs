namespace RenderFarm.Inference.Tests.Export;

/// <summary>A theory that runs tools/export-onnx under Debian's python3-torch: skipped, saying why, only where that is missing.</summary>
public sealed class TorchTheoryAttribute : TheoryAttribute
{
    public TorchTheoryAttribute()
    {
        Skip = DebianPython.WhyUnavailable;
    }
}
