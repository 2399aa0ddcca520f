using System.Diagnostics;
using System.Numerics.Tensors;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Schedulers;
using RenderFarm.Inference.Sessions;
using RenderFarm.Inference.Tokenizers;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Z-Image(-Turbo), after diffusers' ZImagePipeline: chat-templated prompt through Qwen3 (penultimate layer, padding
/// masked out), a flow-matching DiT fed t' = (1000 - t) / 1000 whose output is negated before the Euler step,
/// guidance <c>pos + g * (pos - neg)</c> when g > 0, and a 16-channel VAE with scale and shift. The text encoder's
/// output is <c>hidden_states</c> (this engine's export) or <c>encoder_hidden_state</c> (the WebNN export); see
/// <see cref="ZImageTransformer"/> for the two transformer interfaces.
/// </summary>
internal sealed class ZImagePipeline : IDiffusionPipeline
{
    private const int VaeScale = 8;
    private const int MaxSequenceLength = 512;
    private readonly QwenTokenizer _tokenizer;
    private readonly OnnxModel _textEncoder;
    private readonly string _textOutput;
    private readonly ZImageTransformer _transformer;
    private readonly VaeDecoder _vae;
    private readonly SchedulerConfig _schedulerConfig;
    private readonly string _schedulerKey;
    private readonly string _defaultNoise;
    private readonly bool _ioBinding;

    /// <param name="ioBinding">Runs the transformer through <see cref="ZImageTransformer.Bind"/> rather than a session run per step.</param>
    public ZImagePipeline(QwenTokenizer tokenizer, OnnxModel textEncoder, OnnxModel transformer, VaeDecoder vae, SchedulerConfig schedulerConfig, string schedulerKey, string defaultNoise, bool ioBinding)
    {
        _tokenizer = tokenizer;
        _textEncoder = textEncoder;
        _transformer = new ZImageTransformer(transformer);
        _vae = vae;
        _schedulerConfig = schedulerConfig;
        _schedulerKey = schedulerKey;
        _defaultNoise = defaultNoise;
        _ioBinding = ioBinding;
        _textOutput = textEncoder.OutputNames.Contains("encoder_hidden_state") ? "encoder_hidden_state" : "hidden_states";
        textEncoder.Require(["input_ids", "attention_mask"], [_textOutput]);
        vae.Model.Require([VaeDecoder.Input], [VaeDecoder.Output]);
    }

    /// <summary>The VAE's 8x and the DiT's 2x2 patches.</summary>
    public int SizeMultiple => 2 * VaeScale;

    public GenerationResult Generate(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, GenerationTimings? timings, CancellationToken cancellationToken)
    {
        BatchValidation.Validate(batch, SizeMultiple);
        var start = Stopwatch.GetTimestamp();
        var n = batch.Items.Count;
        // Any guidance above 0 runs CFG (diffusers PR #13183): Z-Image's pos + g * (pos - neg) is plain sampling at
        // g = 0, not at g = 1 as in the SD formula.
        var guided = batch.Guidance > 0;
        var guidance = (float)batch.Guidance;
        IReadOnlyList<string> prompts = guided
            ? [.. batch.Items.Select(i => i.Prompt), .. batch.Items.Select(i => i.NegativePrompt)]
            : [.. batch.Items.Select(i => i.Prompt)];
        var embeddings = EncodePrompts(prompts, cancellationToken);
        timings?.RecordTextEncoding(start);

        int h = batch.Height / VaeScale, w = batch.Width / VaeScale;
        var mu = FlowMatchEulerScheduler.CalculateShift(h / 2 * (w / 2), _schedulerConfig);
        var scheduler = SchedulerFactory.Create(_schedulerKey, _schedulerConfig, batch.Steps, mu, DefaultSigmas(batch.Steps));
        var channels = _transformer.LatentChannels;
        var perImage = channels * h * w;
        var noiseSource = batch.Noise ?? _defaultNoise;
        var noise = new LatentNoise([.. batch.Items.Select(i => i.Seed)], perImage, noiseSource);
        var guard = new NonFiniteGuard(n);
        var latents = new float[n * perImage];
        noise.Fill(latents);
        TensorPrimitives.Multiply(latents, (float)scheduler.InitNoiseSigma, latents);

        var modelInput = new float[prompts.Count * perImage];
        var prediction = new float[n * perImage];

        var loopStart = Stopwatch.GetTimestamp();
        using var binding = _ioBinding ? _transformer.Bind(modelInput, h, w, embeddings) : null;
        var session = TimeSpan.Zero;
        var steps = scheduler.Timesteps.Count;
        for (var step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            latents.CopyTo(modelInput, 0);
            if (guided)
            {
                latents.CopyTo(modelInput, n * perImage);
            }

            // (1000 - t) / 1000 in float32, as the pipeline computes it on its float32 timesteps.
            var timestep = (1000f - (float)scheduler.Timesteps[step]) / 1000f;
            TimeSpan elapsed;
            var output = binding is null
                ? _transformer.Predict(modelInput, h, w, timestep, embeddings, cancellationToken, out elapsed)
                : binding.Predict(timestep, cancellationToken, out elapsed);
            session += elapsed;
            timings?.RecordForward(bound: binding is not null);
            var pos = output.AsSpan(0, n * perImage);
            if (guided)
            {
                // pred = pos + g * (pos - neg), then negated: the DiT predicts the velocity towards the data.
                var neg = output.AsSpan(n * perImage, n * perImage);
                TensorPrimitives.Subtract(pos, neg, prediction);
                TensorPrimitives.MultiplyAdd(prediction, guidance, pos, prediction);
                TensorPrimitives.Negate(prediction, prediction);
            }
            else
            {
                TensorPrimitives.Negate(pos, prediction);
            }

            scheduler.Step(step, prediction, latents, noise);
            guard.CheckLatents(latents, perImage, step);
            progress?.Report(new GenerationProgress(step + 1, steps));
            if (step + 1 < steps)
            {
                preemption.Wait(cancellationToken);
            }
        }

        timings?.RecordDenoising(session, loopStart, steps);

        cancellationToken.ThrowIfCancellationRequested();
        var images = _vae.Decode(latents, n, channels, h, w, guard, timings, cancellationToken);
        timings?.RecordTotal(start);

        return guard.Result(images, scheduler.SamplerName, noiseSource);
    }

    /// <summary>
    /// diffusers' <c>get_default_z_image_sigmas</c> (since diffusers PR #13730): <c>torch.linspace(1, 1/n, n)</c> in
    /// float32, shifted later by the scheduler. Every step is a model call at a sigma above 0 and the terminal 0 is
    /// only stepped to: the older recipe (sigma_min = 0, "9 steps for 8 forwards") spent its last call at sigma 0,
    /// where dt = 0 discards it.
    /// </summary>
    internal static float[] DefaultSigmas(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (steps == 1)
        {
            return [1f];
        }

        // torch's linspace kernel: from the start for the first half, back from the end for the second.
        float start = 1f, end = (float)(1.0 / steps);
        var step = (end - start) / (steps - 1);
        var sigmas = new float[steps];
        var halfway = steps / 2;
        for (var i = 0; i < steps; i++)
        {
            sigmas[i] = i < halfway ? start + (step * i) : end - (step * (steps - i - 1));
        }

        return sigmas;
    }

    /// <summary>
    /// Pads to the longest prompt of the batch (not to 512): the mask keeps padding out of attention, as the
    /// pipeline's per-prompt unpadded embedding lists do.
    /// </summary>
    private PromptEmbeddings EncodePrompts(IReadOnlyList<string> prompts, CancellationToken cancellationToken)
    {
        var tokens = prompts.Select(p => _tokenizer.Encode(p, MaxSequenceLength)).ToList();
        var seq = tokens.Max(t => t.Count);
        var ids = new long[prompts.Count * seq];
        var attention = new long[prompts.Count * seq];
        var mask = new bool[prompts.Count * seq];
        Array.Fill(ids, _tokenizer.PadId);
        for (var i = 0; i < tokens.Count; i++)
        {
            for (var j = 0; j < tokens[i].Count; j++)
            {
                ids[(i * seq) + j] = tokens[i][j];
                attention[(i * seq) + j] = 1;
                mask[(i * seq) + j] = true;
            }
        }

        var output = OrtRun.Run(_textEncoder, [new("input_ids", ids, [prompts.Count, seq]), new("attention_mask", attention, [prompts.Count, seq])], [_textOutput], cancellationToken, out _)[0];
        return new PromptEmbeddings(output.Data, mask, prompts.Count, seq, output.Dim(2));
    }

    public void Dispose()
    {
        _textEncoder.Dispose();
        _transformer.Dispose();
        _vae.Model.Dispose();
    }
}
