using Microsoft.ML.OnnxRuntime;
using RenderFarm.Inference.Pipelines;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Tests.Sessions;

/// <summary>
/// A binding reads the arrays it was made over at every run and writes into one output array: tiny-sd-fp16's unet
/// (float16 inputs and output) bound once gives, step after step, exactly what a session run of the same arrays gives.
/// </summary>
public sealed class OnnxBindingTests
{
    [Fact]
    public void Each_run_converts_the_changed_inputs_into_the_same_buffers_and_returns_the_same_output_array()
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var unet = new OnnxModel(Path.Combine(TestModels.Fixture("tiny-sd-fp16"), "unet", "model.onnx"), options);
        var sample = new float[2 * 4 * 8 * 8];
        var timestep = new float[1];
        var hidden = new float[2 * 7 * 32];
        for (var i = 0; i < hidden.Length; i++)
        {
            hidden[i] = MathF.Sin(i);
        }

        OnnxInput[] inputs = [new("sample", sample, [2, 4, 8, 8]), new("timestep", timestep, []), new("encoder_hidden_states", hidden, [2, 7, 32])];
        using var binding = unet.Bind(inputs, ["sample", "timestep"], "out_sample", [2, 4, 8, 8]);

        var outputs = new List<float[]>();
        foreach (var step in new[] { 0, 1 })
        {
            for (var i = 0; i < sample.Length; i++)
            {
                sample[i] = MathF.Cos(i + (step * 0.5f));
            }

            timestep[0] = 900 - (step * 300);
            var bound = OrtRun.Run(binding, CancellationToken.None, out _);
            using var runOptions = new RunOptions();
            var session = unet.Run(inputs, ["out_sample"], runOptions, out _)[0].Data;

            Assert.Equal(session, bound);
            outputs.Add([.. bound]);
            Assert.Same(binding.Output, bound);
        }

        Assert.NotEqual(outputs[0], outputs[1]);
    }
}
