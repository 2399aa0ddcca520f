using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RenderFarm.Inference.Sessions;

/// <summary>
/// One ONNX graph of a pipeline (text encoder, unet, VAE decoder...). The session is created once and shared by all
/// concurrent generations: <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/> is thread-safe.
/// </summary>
internal sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession _session;

    public OnnxModel(string path, SessionOptions options)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Model file not found: {path}", path);
        }

        Path = path;
        try
        {
            _session = new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime cannot load {path}: {e.Message}", e);
        }
    }

    public string Path { get; }

    public IReadOnlyCollection<string> InputNames => [.. _session.InputMetadata.Keys];

    public IReadOnlyCollection<string> OutputNames => [.. _session.OutputMetadata.Keys];

    public bool HasInput(string name) => _session.InputMetadata.ContainsKey(name);

    /// <summary>The declared dimensions of an input; -1 marks a dynamic axis.</summary>
    public int[] InputDimensions(string name) => _session.InputMetadata[name].Dimensions;

    /// <summary>Fails with the file and the names the graph really has, so a wrong export is obvious from the log.</summary>
    public void Require(IEnumerable<string> inputs, IEnumerable<string> outputs)
    {
        var missingIn = inputs.Where(n => !_session.InputMetadata.ContainsKey(n)).ToList();
        var missingOut = outputs.Where(n => !_session.OutputMetadata.ContainsKey(n)).ToList();
        if (missingIn.Count == 0 && missingOut.Count == 0)
        {
            return;
        }

        var problems = new List<string>();
        if (missingIn.Count > 0)
        {
            problems.Add($"missing input(s) {string.Join(", ", missingIn.Select(n => $"'{n}'"))} (it has {string.Join(", ", InputNames)})");
        }

        if (missingOut.Count > 0)
        {
            problems.Add($"missing output(s) {string.Join(", ", missingOut.Select(n => $"'{n}'"))} (it has {string.Join(", ", OutputNames)})");
        }

        throw new InvalidDataException($"{Path}: {string.Join("; ", problems)}.");
    }

    public OnnxOutput[] Run(IReadOnlyList<OnnxInput> inputs, IReadOnlyList<string> outputNames, RunOptions? runOptions = null)
    {
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs)
            {
                values.Add(CreateValue(input));
            }

            using var ownedOptions = runOptions is null ? new RunOptions() : null;
            using var results = _session.Run(runOptions ?? ownedOptions!, inputs.Select(i => i.Name).ToList(), values, outputNames);
            var outputs = new OnnxOutput[outputNames.Count];
            var i = 0;
            foreach (var value in results)
            {
                outputs[i] = ToFloat(outputNames[i], value);
                i++;
            }

            return outputs;
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    private OrtValue CreateValue(OnnxInput input)
    {
        if (!_session.InputMetadata.TryGetValue(input.Name, out var meta))
        {
            throw new InvalidDataException($"{Path}: the graph has no input '{input.Name}' (it has {string.Join(", ", InputNames)}).");
        }

        var type = meta.ElementDataType;
        return (input.Data, type) switch
        {
            (float[] f, TensorElementType.Float) => OrtValue.CreateTensorValueFromMemory(f, input.Shape),
            (float[] f, TensorElementType.Float16) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(f, v => (Float16)v), input.Shape),
            (float[] f, TensorElementType.BFloat16) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(f, v => (BFloat16)v), input.Shape),
            (float[] f, TensorElementType.Double) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(f, v => (double)v), input.Shape),
            // Timesteps: Optimum's ORT pipelines cast the scheduler's float timestep with numpy's astype, which truncates.
            (float[] f, TensorElementType.Int64) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(f, v => (long)v), input.Shape),
            (float[] f, TensorElementType.Int32) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(f, v => (int)v), input.Shape),
            (long[] l, TensorElementType.Int64) => OrtValue.CreateTensorValueFromMemory(l, input.Shape),
            (long[] l, TensorElementType.Int32) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(l, v => checked((int)v)), input.Shape),
            (long[] l, TensorElementType.Float) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(l, v => (float)v), input.Shape),
            (bool[] b, TensorElementType.Bool) => OrtValue.CreateTensorValueFromMemory(b, input.Shape),
            (bool[] b, TensorElementType.Int64) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(b, v => v ? 1L : 0L), input.Shape),
            (bool[] b, TensorElementType.Int32) => OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(b, v => v ? 1 : 0), input.Shape),
            _ => throw new InvalidDataException($"{Path}: input '{input.Name}' has element type {type}, which this engine cannot feed from {input.Data.GetType().Name}."),
        };
    }

    private OnnxOutput ToFloat(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var data = info.ElementDataType switch
        {
            TensorElementType.Float => value.GetTensorDataAsSpan<float>().ToArray(),
            TensorElementType.Float16 => ConvertAll(value.GetTensorDataAsSpan<Float16>(), v => (float)v),
            TensorElementType.BFloat16 => ConvertAll(value.GetTensorDataAsSpan<BFloat16>(), v => (float)v),
            TensorElementType.Double => ConvertAll(value.GetTensorDataAsSpan<double>(), v => (float)v),
            _ => throw new InvalidDataException($"{Path}: output '{name}' has element type {info.ElementDataType}; a float tensor was expected."),
        };
        return new OnnxOutput(name, data, info.Shape);
    }

    private static float[] ConvertAll<T>(ReadOnlySpan<T> source, Func<T, float> convert)
    {
        var result = new float[source.Length];
        for (var i = 0; i < source.Length; i++)
        {
            result[i] = convert(source[i]);
        }

        return result;
    }

    public void Dispose() => _session.Dispose();
}
