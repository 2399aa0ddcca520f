namespace RenderFarm.Inference.Sessions;

/// <summary>A model output copied out of ONNX Runtime as float32, whatever its declared type.</summary>
internal sealed record OnnxOutput(string Name, float[] Data, long[] Shape)
{
    public int Dim(int axis) => checked((int)Shape[axis]);
}
