namespace RenderFarm.Inference.Sessions;

/// <summary>
/// One named model input. <see cref="Data"/> is a <c>float[]</c>, <c>long[]</c> or <c>bool[]</c>; it is converted to
/// whatever element type the model declares (fp16 exports, int32 token ids, float timesteps).
/// </summary>
internal readonly record struct OnnxInput(string Name, Array Data, long[] Shape);
