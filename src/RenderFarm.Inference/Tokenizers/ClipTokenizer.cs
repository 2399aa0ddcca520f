using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace RenderFarm.Inference.Tokenizers;

/// <summary>
/// CLIP's tokenizer: whitespace-cleaned, lower-cased, byte-level BPE with an end-of-word marker, framed by
/// BOS/EOS and padded to the model's window (77 for every SD text encoder).
/// </summary>
internal sealed partial class ClipTokenizer
{
    private readonly BpeTokenizer _bpe;

    private ClipTokenizer(BpeTokenizer bpe, int bos, int eos, int pad, int maxLength)
    {
        _bpe = bpe;
        BosId = bos;
        EosId = eos;
        PadId = pad;
        MaxLength = maxLength;
    }

    public int BosId { get; }
    public int EosId { get; }
    public int PadId { get; }
    public int MaxLength { get; }

    public static ClipTokenizer Load(string folder)
    {
        var files = BpeFiles.Load(folder);
        var bosToken = files.ConfigToken("bos_token") ?? "<|startoftext|>";
        var eosToken = files.ConfigToken("eos_token") ?? "<|endoftext|>";
        // SD 1.x pads with EOS, SD 2.x with "!": the tokenizer config says which.
        var padToken = files.ConfigToken("pad_token") ?? eosToken;
        var maxLength = files.ConfigInt("model_max_length") is { } m and > 0 and <= 1024 ? m : 77;
        var options = new BpeOptions(files.Vocabulary)
        {
            Merges = files.Merges,
            ByteLevel = true,
            EndOfWordSuffix = "</w>",
            PreTokenizer = new RegexPreTokenizer(ClipPattern(), null),
        };
        var bpe = BpeTokenizer.Create(options);
        return new ClipTokenizer(bpe, Id(files, bosToken, folder), Id(files, eosToken, folder), Id(files, padToken, folder), maxLength);
    }

    /// <summary>The ids for one prompt: BOS, at most MaxLength - 2 tokens, EOS, then padding.</summary>
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cleaned = Whitespace().Replace(text, " ").Trim().ToLowerInvariant();
        var ids = _bpe.EncodeToIds(cleaned, considerPreTokenization: true, considerNormalization: false);
        var result = new long[MaxLength];
        Array.Fill(result, PadId);
        result[0] = BosId;
        var count = Math.Min(ids.Count, MaxLength - 2);
        for (var i = 0; i < count; i++)
        {
            result[i + 1] = ids[i];
        }

        result[count + 1] = EosId;
        return result;
    }

    private static int Id(BpeFiles files, string token, string folder) =>
        files.Vocabulary.TryGetValue(token, out var id) || files.AddedTokens.TryGetValue(token, out id)
            ? id
            : throw new InvalidDataException($"{folder}: special token '{token}' is not in the vocabulary.");

    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+", RegexOptions.IgnoreCase)]
    private static partial Regex ClipPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
