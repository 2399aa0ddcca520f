using RenderFarm.Inference.Sessions;
using RenderFarm.Inference.Tokenizers;

namespace RenderFarm.Inference.Pipelines;

/// <summary>SD 1.x/2.x conditioning: CLIP tokens through one text encoder, its last_hidden_state.</summary>
internal sealed class ClipTextConditioner : ITextConditioner
{
    private readonly ClipTokenizer _tokenizer;
    private readonly OnnxModel _encoder;

    public ClipTextConditioner(ClipTokenizer tokenizer, OnnxModel encoder)
    {
        _tokenizer = tokenizer;
        _encoder = encoder;
        _encoder.Require(["input_ids"], ["last_hidden_state"]);
    }

    public TextConditioning Encode(IReadOnlyList<string> prompts, bool negative, CancellationToken cancellationToken)
    {
        var ids = TokenIds(_tokenizer, prompts);
        var output = OrtRun.Run(_encoder, [new OnnxInput("input_ids", ids, [prompts.Count, _tokenizer.MaxLength])], ["last_hidden_state"], cancellationToken, out _)[0];
        return new TextConditioning(output.Data, prompts.Count, output.Dim(1), output.Dim(2), null, 0);
    }

    public static long[] TokenIds(ClipTokenizer tokenizer, IReadOnlyList<string> prompts)
    {
        var ids = new long[prompts.Count * tokenizer.MaxLength];
        for (var i = 0; i < prompts.Count; i++)
        {
            tokenizer.Encode(prompts[i]).CopyTo(ids, i * tokenizer.MaxLength);
        }

        return ids;
    }

    public void Dispose() => _encoder.Dispose();
}
