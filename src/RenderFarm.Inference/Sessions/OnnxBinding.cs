using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace RenderFarm.Inference.Sessions;

/// <summary>
/// A graph's inputs and output bound once for a batch's denoising loop (<see cref="OrtIoBinding"/>), so a step
/// allocates no tensor: an input the graph takes in the pipeline's own element type is bound over the pipeline's array
/// itself, any other (fp16/bf16 exports, int64 timesteps) over a buffer it is converted into once per run, and the
/// output over <see cref="Output"/> (or a buffer of the graph's precision converted into it). Inputs that do not
/// change are bound once: ONNX Runtime copies a bound input to the provider's device when it is bound, so on CUDA
/// they cross to the GPU once per batch, and the changing ones are bound again after every update.
/// </summary>
internal sealed class OnnxBinding : IDisposable
{
    private readonly OnnxModel _model;
    private readonly InferenceSession _session;
    private readonly OrtIoBinding _binding;
    private readonly List<OrtValue> _values = [];
    private readonly List<(string Name, Array Source, Array Buffer, OrtValue Value)> _changing = [];
    private readonly string _outputName;
    private readonly OrtValue _output;
    private readonly bool _outputConverted;

    internal OnnxBinding(OnnxModel model, InferenceSession session, IReadOnlyList<OnnxInput> inputs, IReadOnlyCollection<string> changing, string output, TensorElementType outputType, long[] outputShape)
    {
        _model = model;
        _session = session;
        _outputName = output;
        _binding = session.CreateIoBinding();
        try
        {
            foreach (var input in inputs)
            {
                var buffer = model.Feed(input);
                var value = Own(TensorConversion.Wrap(buffer, input.Shape));
                if (changing.Contains(input.Name))
                {
                    _changing.Add((input.Name, input.Data, buffer, value));
                }
                else
                {
                    _binding.BindInput(input.Name, value);
                }
            }

            Output = new float[outputShape.Aggregate(1L, (a, b) => a * b)];
            _outputConverted = outputType != TensorElementType.Float;
            var outputBuffer = _outputConverted ? TensorConversion.Allocate(outputType, Output.Length) ?? throw model.NotFloat(output, outputType) : Output;
            _output = Own(TensorConversion.Wrap(outputBuffer, outputShape));
            _binding.BindOutput(output, _output);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The output as float32, overwritten by every run.</summary>
    public float[] Output { get; }

    /// <summary>Reads the changing inputs' arrays (converting where the graph's type differs) and runs the graph into <see cref="Output"/>.</summary>
    /// <param name="elapsed">ONNX Runtime's own time: the bound run, without our conversions around it.</param>
    public float[] Run(RunOptions runOptions, out TimeSpan elapsed)
    {
        foreach (var (name, source, buffer, value) in _changing)
        {
            if (!ReferenceEquals(source, buffer))
            {
                TensorConversion.TryConvert(source, buffer);
            }

            _binding.BindInput(name, value);
        }

        var start = Stopwatch.GetTimestamp();
        _session.RunWithBinding(runOptions, _binding);
        elapsed = Stopwatch.GetElapsedTime(start);
        if (_outputConverted && !TensorConversion.TryCopyToFloat(_output, Output))
        {
            throw _model.NotFloat(_outputName, _output.GetTensorTypeAndShape().ElementDataType);
        }

        return Output;
    }

    private OrtValue Own(OrtValue value)
    {
        _values.Add(value);
        return value;
    }

    public void Dispose()
    {
        _binding.Dispose();
        foreach (var value in _values)
        {
            value.Dispose();
        }
    }
}
