using System.Globalization;
using RenderFarm.Inference.Sessions;
using RenderFarm.Inference.Tokenizers;

namespace RenderFarm.Inference.Pipelines;

/// <summary>
/// SDXL conditioning as diffusers builds it: the penultimate hidden layer of both CLIP encoders concatenated on
/// the feature axis, plus the second encoder's projected pooled output. With force_zeros_for_empty_prompt an
/// empty negative prompt becomes all zeros instead of the encoding of "".
/// </summary>
internal sealed class SdxlTextConditioner : ITextConditioner
{
    private readonly ClipTokenizer _tokenizer1;
    private readonly ClipTokenizer _tokenizer2;
    private readonly OnnxModel _encoder1;
    private readonly OnnxModel _encoder2;
    private readonly bool _zerosForEmptyNegative;
    private readonly string _penultimate1;
    private readonly string _penultimate2;

    public SdxlTextConditioner(ClipTokenizer tokenizer1, OnnxModel encoder1, ClipTokenizer tokenizer2, OnnxModel encoder2, bool zerosForEmptyNegative)
    {
        _tokenizer1 = tokenizer1;
        _tokenizer2 = tokenizer2;
        _encoder1 = encoder1;
        _encoder2 = encoder2;
        _zerosForEmptyNegative = zerosForEmptyNegative;
        _penultimate1 = Penultimate(encoder1);
        _penultimate2 = Penultimate(encoder2);
        _encoder1.Require(["input_ids"], [_penultimate1]);
        _encoder2.Require(["input_ids"], [_penultimate2, "text_embeds"]);
    }

    public TextConditioning Encode(IReadOnlyList<string> prompts, bool negative, CancellationToken cancellationToken)
    {
        var n = prompts.Count;
        var ids1 = ClipTextConditioner.TokenIds(_tokenizer1, prompts);
        var ids2 = ClipTextConditioner.TokenIds(_tokenizer2, prompts);
        var h1 = OrtRun.Run(_encoder1, [new OnnxInput("input_ids", ids1, [n, _tokenizer1.MaxLength])], [_penultimate1], cancellationToken, out _)[0];
        var out2 = OrtRun.Run(_encoder2, [new OnnxInput("input_ids", ids2, [n, _tokenizer2.MaxLength])], [_penultimate2, "text_embeds"], cancellationToken, out _);
        var h2 = out2[0];
        var pooled = out2[1];
        int seq = h1.Dim(1), d1 = h1.Dim(2), d2 = h2.Dim(2);
        if (h2.Dim(1) != seq)
        {
            throw new InvalidDataException($"SDXL text encoders disagree on sequence length ({seq} vs {h2.Dim(1)}).");
        }

        var hidden = new float[n * seq * (d1 + d2)];
        for (var row = 0; row < n * seq; row++)
        {
            h1.Data.AsSpan(row * d1, d1).CopyTo(hidden.AsSpan(row * (d1 + d2), d1));
            h2.Data.AsSpan(row * d2, d2).CopyTo(hidden.AsSpan((row * (d1 + d2)) + d1, d2));
        }

        var pooledDim = pooled.Dim(1);
        if (negative && _zerosForEmptyNegative)
        {
            for (var i = 0; i < n; i++)
            {
                if (string.IsNullOrEmpty(prompts[i]))
                {
                    hidden.AsSpan(i * seq * (d1 + d2), seq * (d1 + d2)).Clear();
                    pooled.Data.AsSpan(i * pooledDim, pooledDim).Clear();
                }
            }
        }

        return new TextConditioning(hidden, n, seq, d1 + d2, pooled.Data, pooledDim);
    }

    /// <summary>Optimum names the per-layer outputs hidden_states.0 (embeddings) .. hidden_states.L; SDXL takes L - 1.</summary>
    private static string Penultimate(OnnxModel encoder)
    {
        var layers = encoder.OutputNames
            .Where(n => n.StartsWith("hidden_states.", StringComparison.Ordinal))
            .Select(n => int.TryParse(n["hidden_states.".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1)
            .Where(i => i >= 0)
            .ToList();
        if (layers.Count < 2)
        {
            throw new InvalidDataException($"{encoder.Path}: SDXL needs the per-layer outputs hidden_states.N (export with output_hidden_states); it has {string.Join(", ", encoder.OutputNames)}.");
        }

        return $"hidden_states.{layers.Max() - 1}";
    }

    public void Dispose()
    {
        _encoder1.Dispose();
        _encoder2.Dispose();
    }
}
