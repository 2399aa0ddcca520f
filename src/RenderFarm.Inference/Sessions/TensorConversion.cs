using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RenderFarm.Inference.Sessions;

/// <summary>
/// How the pipelines' <c>float[]</c>, <c>long[]</c> and <c>bool[]</c> become the element type a graph declares, and
/// its outputs float32 again: one place, so a session run and a bound run feed a graph the same numbers.
/// </summary>
internal static class TensorConversion
{
    /// <summary>
    /// The array ONNX Runtime reads for <paramref name="source"/> as an input of <paramref name="type"/>: the source
    /// itself when it already holds that type, else a converted copy; null for a pair this engine cannot feed.
    /// </summary>
    public static Array? ForInput(Array source, TensorElementType type)
    {
        if (Holds(source, type))
        {
            return source;
        }

        var buffer = Allocate(type, source.Length);
        return buffer is not null && TryConvert(source, buffer) ? buffer : null;
    }

    /// <summary>Converts <paramref name="source"/> into <paramref name="destination"/> of the same length; false for a pair this engine cannot feed.</summary>
    public static bool TryConvert(Array source, Array destination)
    {
        switch (source, destination)
        {
            case (float[] s, Float16[] d): Map(s, d, static v => (Float16)v); return true;
            case (float[] s, BFloat16[] d): Map(s, d, static v => (BFloat16)v); return true;
            case (float[] s, double[] d): Map(s, d, static v => v); return true;
            // Timesteps: Optimum's ORT pipelines cast the scheduler's float timestep with numpy's astype, which truncates.
            case (float[] s, long[] d): Map(s, d, static v => (long)v); return true;
            case (float[] s, int[] d): Map(s, d, static v => (int)v); return true;
            case (long[] s, int[] d): Map(s, d, static v => checked((int)v)); return true;
            case (long[] s, float[] d): Map(s, d, static v => v); return true;
            case (bool[] s, long[] d): Map(s, d, static v => v ? 1L : 0L); return true;
            case (bool[] s, int[] d): Map(s, d, static v => v ? 1 : 0); return true;
            default: return false;
        }
    }

    /// <summary>A tensor over <paramref name="buffer"/>'s own memory (pinned while the value lives), as <see cref="ForInput"/> or <see cref="Allocate"/> made it.</summary>
    public static OrtValue Wrap(Array buffer, long[] shape) => buffer switch
    {
        float[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
        Float16[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
        BFloat16[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
        double[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
        long[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
        int[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
        bool[] a => OrtValue.CreateTensorValueFromMemory(a, shape),
        _ => throw new ArgumentException($"No tensor over a {buffer.GetType().Name}.", nameof(buffer)),
    };

    /// <summary>An array of the element type ONNX Runtime reads or writes for <paramref name="type"/>; null for a type this engine never handles.</summary>
    public static Array? Allocate(TensorElementType type, int length) => type switch
    {
        TensorElementType.Float => new float[length],
        TensorElementType.Float16 => new Float16[length],
        TensorElementType.BFloat16 => new BFloat16[length],
        TensorElementType.Double => new double[length],
        TensorElementType.Int64 => new long[length],
        TensorElementType.Int32 => new int[length],
        TensorElementType.Bool => new bool[length],
        _ => null,
    };

    /// <summary>Copies a float tensor of any precision into <paramref name="destination"/> as float32; false when it is not a float tensor.</summary>
    public static bool TryCopyToFloat(OrtValue value, Span<float> destination)
    {
        switch (value.GetTensorTypeAndShape().ElementDataType)
        {
            case TensorElementType.Float: value.GetTensorDataAsSpan<float>().CopyTo(destination); return true;
            case TensorElementType.Float16: Map(value.GetTensorDataAsSpan<Float16>(), destination, static v => (float)v); return true;
            case TensorElementType.BFloat16: Map(value.GetTensorDataAsSpan<BFloat16>(), destination, static v => (float)v); return true;
            case TensorElementType.Double: Map(value.GetTensorDataAsSpan<double>(), destination, static v => (float)v); return true;
            default: return false;
        }
    }

    private static bool Holds(Array source, TensorElementType type) => (source, type) switch
    {
        (float[], TensorElementType.Float) or (long[], TensorElementType.Int64) or (bool[], TensorElementType.Bool) => true,
        _ => false,
    };

    private static void Map<TFrom, TTo>(ReadOnlySpan<TFrom> source, Span<TTo> destination, Func<TFrom, TTo> convert)
    {
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = convert(source[i]);
        }
    }
}
