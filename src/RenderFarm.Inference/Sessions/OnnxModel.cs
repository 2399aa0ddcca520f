using System.Diagnostics;
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

    /// <param name="elapsed">ONNX Runtime's own time: the session run, without our conversions and copies around it.</param>
    public OnnxOutput[] Run(IReadOnlyList<OnnxInput> inputs, IReadOnlyList<string> outputNames, RunOptions runOptions, out TimeSpan elapsed)
    {
        var values = new List<OrtValue>(inputs.Count);
        try
        {
            foreach (var input in inputs)
            {
                values.Add(CreateValue(input));
            }

            var names = inputs.Select(i => i.Name).ToList();
            var start = Stopwatch.GetTimestamp();
            using var results = _session.Run(runOptions, names, values, outputNames);
            elapsed = Stopwatch.GetElapsedTime(start);
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

    /// <summary>
    /// Binds the graph's inputs and one output for a whole batch (see <see cref="OnnxBinding"/>); the arrays of
    /// <paramref name="changing"/> inputs are read again at every run.
    /// </summary>
    public OnnxBinding Bind(IReadOnlyList<OnnxInput> inputs, IReadOnlyCollection<string> changing, string output, long[] outputShape)
    {
        var type = _session.OutputMetadata.TryGetValue(output, out var meta)
            ? meta.ElementDataType
            : throw new InvalidDataException($"{Path}: the graph has no output '{output}' (it has {string.Join(", ", OutputNames)}).");
        return new OnnxBinding(this, _session, inputs, changing, output, type, outputShape);
    }

    /// <summary>The array ONNX Runtime reads for an input: its own data when the graph takes that type, else a converted copy.</summary>
    internal Array Feed(OnnxInput input)
    {
        if (!_session.InputMetadata.TryGetValue(input.Name, out var meta))
        {
            throw new InvalidDataException($"{Path}: the graph has no input '{input.Name}' (it has {string.Join(", ", InputNames)}).");
        }

        return TensorConversion.ForInput(input.Data, meta.ElementDataType)
            ?? throw new InvalidDataException($"{Path}: input '{input.Name}' has element type {meta.ElementDataType}, which this engine cannot feed from {input.Data.GetType().Name}.");
    }

    internal InvalidDataException NotFloat(string output, TensorElementType type) =>
        new($"{Path}: output '{output}' has element type {type}; a float tensor was expected.");

    private OrtValue CreateValue(OnnxInput input) => TensorConversion.Wrap(Feed(input), input.Shape);

    private OnnxOutput ToFloat(string name, OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var data = new float[info.ElementCount];
        return TensorConversion.TryCopyToFloat(value, data) ? new OnnxOutput(name, data, info.Shape) : throw NotFloat(name, info.ElementDataType);
    }

    public void Dispose() => _session.Dispose();
}
