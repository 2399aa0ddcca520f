using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// A Z-Image transformer graph in either interface that loads; both take t' = (1000 - t) / 1000 and return the model
/// output before the pipeline negates it.
/// <list type="bullet">
/// <item>This engine's (tools/export-onnx/export_zimage.py, the tiny-zimage fixture): <c>latents</c> [b, C, h, w],
/// <c>timestep</c> [b], <c>prompt_embeds</c> [b, s, d] and <c>prompt_mask</c> [b, s] → <c>noise_pred</c> [b, C, h, w]:
/// the whole batch in one run.</item>
/// <item>The public WebNN/WebGPU export's (webnn/Z-Image-Turbo, lwanming/Z-Image-Turbo, run by
/// microsoft/webnn-developer-preview): <c>hidden_states</c> [1, C, 1, h, w] (with a frame axis), <c>timestep</c> [1],
/// <c>encoder_hidden_states</c> [1, s, d] holding only the prompt's tokens (it pads them to 32 inside and has no mask)
/// → <c>unified_results</c> [C, 1, h, w] (no batch axis): one image per run.</item>
/// </list>
/// </summary>
internal sealed class ZImageTransformer : IDisposable
{
    private const string BatchOutput = "noise_pred";
    private const string RowOutput = "unified_results";
    private readonly OnnxModel _model;
    private readonly bool _oneImagePerRun;

    public ZImageTransformer(OnnxModel model)
    {
        _model = model;
        _oneImagePerRun = model.HasInput("hidden_states");
        if (_oneImagePerRun)
        {
            model.Require(["hidden_states", "timestep", "encoder_hidden_states"], [RowOutput]);
        }
        else
        {
            model.Require(["latents", "timestep", "prompt_embeds", "prompt_mask"], [BatchOutput]);
        }

        var dims = model.InputDimensions(_oneImagePerRun ? "hidden_states" : "latents");
        LatentChannels = dims.Length >= 4 && dims[1] > 0 ? dims[1] : 16;
    }

    public int LatentChannels { get; }

    /// <summary>The model output for every row of <paramref name="latents"/> ([rows, C, h, w]) with its prompt.</summary>
    public float[] Predict(float[] latents, int height, int width, float timestep, PromptEmbeddings prompts, CancellationToken cancellationToken, out TimeSpan elapsed)
    {
        var rows = prompts.Rows;
        if (!_oneImagePerRun)
        {
            var timesteps = new float[rows];
            Array.Fill(timesteps, timestep);
            return OrtRun.Run(_model, BatchInputs(latents, timesteps, height, width, prompts), [BatchOutput], cancellationToken, out elapsed)[0].Data;
        }

        var perImage = LatentChannels * height * width;
        var prediction = new float[rows * perImage];
        elapsed = TimeSpan.Zero;
        for (var row = 0; row < rows; row++)
        {
            var inputs = RowInputs(latents.AsSpan(row * perImage, perImage).ToArray(), [timestep], row, height, width, prompts);
            var output = OrtRun.Run(_model, inputs, [RowOutput], cancellationToken, out var rowElapsed)[0].Data;
            output.CopyTo(prediction, row * perImage);
            elapsed += rowElapsed;
        }

        return prediction;
    }

    /// <summary>
    /// Binds the transformer for one batch (see <see cref="OnnxBinding"/>): every step reads <paramref name="latents"/>
    /// ([rows, C, h, w]), which the pipeline refills in place. The WebNN interface gets a binding per row, each with the
    /// row's own prompt tokens.
    /// </summary>
    public ZImageBinding Bind(float[] latents, int height, int width, PromptEmbeddings prompts)
    {
        var rows = prompts.Rows;
        var timestep = new float[_oneImagePerRun ? 1 : rows];
        if (!_oneImagePerRun)
        {
            var inputs = BatchInputs(latents, timestep, height, width, prompts);
            return new ZImageBinding(latents, timestep, [(latents, _model.Bind(inputs, ["latents", "timestep"], BatchOutput, [rows, LatentChannels, height, width]))]);
        }

        var perImage = LatentChannels * height * width;
        var runs = new List<(float[], OnnxBinding)>(rows);
        try
        {
            for (var row = 0; row < rows; row++)
            {
                var rowLatents = new float[perImage];
                var inputs = RowInputs(rowLatents, timestep, row, height, width, prompts);
                runs.Add((rowLatents, _model.Bind(inputs, ["hidden_states", "timestep"], RowOutput, [LatentChannels, 1, height, width])));
            }

            return new ZImageBinding(latents, timestep, runs);
        }
        catch
        {
            foreach (var (_, binding) in runs)
            {
                binding.Dispose();
            }

            throw;
        }
    }

    /// <summary>This engine's interface: the whole batch, prompts padded and masked.</summary>
    private OnnxInput[] BatchInputs(float[] latents, float[] timesteps, int height, int width, PromptEmbeddings prompts) =>
    [
        new("latents", latents, [prompts.Rows, LatentChannels, height, width]),
        new("timestep", timesteps, [prompts.Rows]),
        new("prompt_embeds", prompts.Embeds, [prompts.Rows, prompts.Sequence, prompts.Dim]),
        new("prompt_mask", prompts.Mask, [prompts.Rows, prompts.Sequence]),
    ];

    /// <summary>The WebNN interface: one row, with its prompt's own tokens only.</summary>
    private OnnxInput[] RowInputs(float[] rowLatents, float[] timestep, int row, int height, int width, PromptEmbeddings prompts)
    {
        var tokens = prompts.Length(row);
        return
        [
            new("hidden_states", rowLatents, [1, LatentChannels, 1, height, width]),
            new("timestep", timestep, [1]),
            new("encoder_hidden_states", prompts.Embeds.AsSpan(row * prompts.Sequence * prompts.Dim, tokens * prompts.Dim).ToArray(), [1, tokens, prompts.Dim]),
        ];
    }

    public void Dispose() => _model.Dispose();
}
