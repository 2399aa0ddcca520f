using System.Diagnostics;
using System.Numerics.Tensors;
using RenderFarm.Core.Generation;
using RenderFarm.Inference.Schedulers;
using RenderFarm.Inference.Sessions;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// Text-to-image for the UNet families (SD 1.x/2.x/Turbo and SDXL), after diffusers' StableDiffusion(XL)Pipeline:
/// classifier-free guidance as one doubled unet batch [uncond..., cond...] when guidance > 1, none otherwise.
/// </summary>
internal sealed class StableDiffusionPipeline : IDiffusionPipeline
{
    private const int VaeScale = 8;
    private readonly ITextConditioner _text;
    private readonly OnnxModel _unet;
    private readonly VaeDecoder _vae;
    private readonly SchedulerConfig _schedulerConfig;
    private readonly string _schedulerKey;
    private readonly string _defaultNoise;
    private readonly bool _ioBinding;
    private readonly bool _xl;
    private readonly int _latentChannels;
    private readonly bool _singleTimestep;
    private readonly bool _scalarTimestep;
    private readonly int _timeCondDim;

    /// <param name="ioBinding">Runs the unet through <see cref="OnnxBinding"/> rather than a session run per step.</param>
    /// <param name="timeCondDim">unet config's time_cond_proj_dim, used when the graph's timestep_cond axis is dynamic.</param>
    public StableDiffusionPipeline(ITextConditioner text, OnnxModel unet, VaeDecoder vae, SchedulerConfig schedulerConfig, string schedulerKey, string defaultNoise, bool ioBinding, bool xl, int? timeCondDim = null)
    {
        _text = text;
        _unet = unet;
        _vae = vae;
        _schedulerConfig = schedulerConfig;
        _schedulerKey = schedulerKey;
        _defaultNoise = defaultNoise;
        _ioBinding = ioBinding;
        _xl = xl;
        unet.Require(xl ? ["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"] : ["sample", "timestep", "encoder_hidden_states"], ["out_sample"]);
        vae.Model.Require([VaeDecoder.Input], [VaeDecoder.Output]);
        var sampleDims = unet.InputDimensions("sample");
        _latentChannels = sampleDims.Length == 4 && sampleDims[1] > 0 ? sampleDims[1] : 4;
        // Optimum up to 1.23 exports timestep as int64 [batch]; later versions as a float32 scalar; the old diffusers
        // conversion script as a fixed one-element tensor. The value is the same for every row, so all three work.
        var t = unet.InputDimensions("timestep");
        _scalarTimestep = t.Length == 0;
        _singleTimestep = _scalarTimestep || (t.Length == 1 && t[0] == 1);
        if (unet.HasInput("timestep_cond"))
        {
            var c = unet.InputDimensions("timestep_cond");
            _timeCondDim = c.Length == 2 && c[1] > 0 ? c[1]
                : timeCondDim ?? throw new InvalidDataException($"{unet.Path}: timestep_cond has a dynamic width and unet/config.json has no time_cond_proj_dim.");
        }
    }

    public int SizeMultiple => VaeScale;

    public GenerationResult Generate(GenerationBatch batch, IProgress<GenerationProgress>? progress, IPreemption? preemption, GenerationTimings? timings, CancellationToken cancellationToken)
    {
        BatchValidation.Validate(batch, SizeMultiple);
        var start = Stopwatch.GetTimestamp();
        var scheduler = SchedulerFactory.Create(_schedulerKey, _schedulerConfig, batch.Steps);
        var n = batch.Items.Count;
        // LCM-distilled unets take the guidance as an embedding (timestep_cond) and run without CFG.
        var distilledGuidance = _timeCondDim > 0;
        var guided = batch.Guidance > 1.0 && !distilledGuidance;
        var guidance = (float)batch.Guidance;

        var cond = _text.Encode([.. batch.Items.Select(i => i.Prompt)], negative: false, cancellationToken);
        var text = guided ? Concat(_text.Encode([.. batch.Items.Select(i => i.NegativePrompt)], negative: true, cancellationToken), cond) : cond;
        timings?.RecordTextEncoding(start);

        int h = batch.Height / VaeScale, w = batch.Width / VaeScale;
        var perImage = _latentChannels * h * w;
        var noiseSource = batch.Noise ?? _defaultNoise;
        var noise = new LatentNoise([.. batch.Items.Select(i => i.Seed)], perImage, noiseSource);
        var guard = new NonFiniteGuard(n);
        var latents = new float[n * perImage];
        noise.Fill(latents);
        TensorPrimitives.Multiply(latents, (float)scheduler.InitNoiseSigma, latents);

        var unetBatch = guided ? 2 * n : n;
        var modelInput = new float[unetBatch * perImage];
        var guidedOutput = guided ? new float[n * perImage] : null;
        var timestep = new float[_singleTimestep ? 1 : unetBatch];
        var inputs = new List<OnnxInput>
        {
            new("sample", modelInput, [unetBatch, _latentChannels, h, w]),
            new("timestep", timestep, _scalarTimestep ? [] : _singleTimestep ? [1] : [unetBatch]),
            new("encoder_hidden_states", text.Hidden, [unetBatch, text.Sequence, text.Dim]),
        };
        if (_xl)
        {
            inputs.Add(new("text_embeds", text.Pooled!, [unetBatch, text.PooledDim]));
            inputs.Add(new("time_ids", TimeIds(unetBatch, batch.Height, batch.Width), [unetBatch, 6]));
        }

        if (distilledGuidance)
        {
            var row = GuidanceEmbedding.Create(batch.Guidance - 1, _timeCondDim);
            var timestepCond = new float[unetBatch * _timeCondDim];
            for (var r = 0; r < unetBatch; r++)
            {
                row.CopyTo(timestepCond, r * _timeCondDim);
            }

            inputs.Add(new("timestep_cond", timestepCond, [unetBatch, _timeCondDim]));
        }

        var loopStart = Stopwatch.GetTimestamp();
        // Made after every input array exists: it binds them for the whole loop, and only these two change per step.
        // Binding is timed with the loop, so the conversions it does once count as the loop's overhead.
        using var binding = _ioBinding ? _unet.Bind(inputs, ["sample", "timestep"], "out_sample", [unetBatch, _latentChannels, h, w]) : null;
        var session = TimeSpan.Zero;
        for (var step = 0; step < batch.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var scaled = modelInput.AsSpan(0, n * perImage);
            TensorPrimitives.Multiply(latents, (float)scheduler.InputScale(step), scaled);
            if (guided)
            {
                scaled.CopyTo(modelInput.AsSpan(n * perImage));
            }

            Array.Fill(timestep, (float)scheduler.Timesteps[step]);
            TimeSpan elapsed;
            var output = binding is null
                ? OrtRun.Run(_unet, inputs, ["out_sample"], cancellationToken, out elapsed)[0].Data
                : OrtRun.Run(binding, cancellationToken, out elapsed);
            session += elapsed;
            timings?.RecordForward(bound: binding is not null);

            ReadOnlySpan<float> prediction = output;
            if (guided)
            {
                // noise = uncond + g * (cond - uncond)
                var uncond = output.AsSpan(0, n * perImage);
                var condOut = output.AsSpan(n * perImage, n * perImage);
                TensorPrimitives.Subtract(condOut, uncond, guidedOutput);
                TensorPrimitives.MultiplyAdd(guidedOutput, guidance, uncond, guidedOutput);
                prediction = guidedOutput;
            }

            scheduler.Step(step, prediction, latents, noise);
            guard.CheckLatents(latents, perImage, step);
            progress?.Report(new GenerationProgress(step + 1, batch.Steps));
            if (step + 1 < batch.Steps)
            {
                preemption.Wait(cancellationToken);
            }
        }

        timings?.RecordDenoising(session, loopStart, batch.Steps);

        cancellationToken.ThrowIfCancellationRequested();
        var images = _vae.Decode(latents, n, _latentChannels, h, w, guard, timings, cancellationToken);
        timings?.RecordTotal(start);

        return guard.Result(images, scheduler.SamplerName, noiseSource);
    }

    /// <summary>SDXL micro-conditioning: original size, crop top-left (0, 0), target size; all the render size here.</summary>
    private static float[] TimeIds(int rows, int height, int width)
    {
        var ids = new float[rows * 6];
        for (var r = 0; r < rows; r++)
        {
            ids[r * 6] = height;
            ids[(r * 6) + 1] = width;
            ids[(r * 6) + 4] = height;
            ids[(r * 6) + 5] = width;
        }

        return ids;
    }

    private static TextConditioning Concat(TextConditioning first, TextConditioning second) => new(
        [.. first.Hidden, .. second.Hidden],
        first.Count + second.Count,
        first.Sequence,
        first.Dim,
        first.Pooled is null || second.Pooled is null ? null : [.. first.Pooled, .. second.Pooled],
        first.PooledDim);

    public void Dispose()
    {
        _text.Dispose();
        _unet.Dispose();
        _vae.Model.Dispose();
    }
}
